import { useRef, useState, type DragEvent } from 'react';
import type { DumpKind } from '@svcpath/core';
import { useUploadDump } from '../../api/hooks.js';
import { dumpErrorOf, type UploadProgress } from '../../api/upload.js';
import { formatBytes } from '../../util/format.js';

const KINDS: Array<{ kind: DumpKind; how: string }> = [
  { kind: 'iptables', how: 'iptables-save -c' },
  { kind: 'ip6tables', how: 'ip6tables-save -c' },
  { kind: 'nft', how: 'nft list ruleset (or nft -j list ruleset)' },
  { kind: 'ipvs', how: 'ipvsadm -S -n (or ipvsadm -Ln --stats)' },
  { kind: 'ipset', how: 'ipset save' },
];

/** Upload by drag-and-drop, file picker or paste; XMLHttpRequest reports progress for big files. */
export function DumpUpload({ node, defaultKind }: { node: string; defaultKind: DumpKind }) {
  const [kind, setKind] = useState<DumpKind>(defaultKind);
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [badLine, setBadLine] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const upload = useUploadDump(node, setProgress);

  const send = async () => {
    setBadLine(null);
    setProgress({ loaded: 0, total: file?.size ?? text.length });
    const body = file ?? text;
    upload.mutate(
      { kind, body },
      {
        onError: async (e) => {
          const de = dumpErrorOf(e);
          if (de?.line !== null && de?.line !== undefined) {
            const content = file ? await file.text() : text;
            setBadLine(content.split('\n')[de.line - 1] ?? null);
          }
        },
      },
    );
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) {
      setFile(f);
      setText('');
    }
  };
  const dumpError = dumpErrorOf(upload.error);
  const pct = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : null;

  return (
    <section className="card" aria-labelledby="upload-title" data-testid="dump-upload">
      <h2 id="upload-title" style={{ marginTop: 0 }}>
        Upload a dump for {node}
      </h2>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="up-kind">Kind</label>
          <select
            id="up-kind"
            value={kind}
            onChange={(e) => setKind(KINDS.find((k) => k.kind === e.target.value)?.kind ?? 'iptables')}
          >
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.kind} — {k.how}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p style={{ margin: 0 }}>
          {file ? (
            <>
              File <strong>{file.name}</strong> ({formatBytes(file.size)}){' '}
              <button type="button" onClick={() => setFile(null)}>
                Remove
              </button>
            </>
          ) : (
            <>
              Drop a dump file here, or{' '}
              <button type="button" onClick={() => fileInput.current?.click()}>
                choose a file
              </button>
            </>
          )}
        </p>
        <input
          ref={fileInput}
          type="file"
          hidden
          aria-label="Dump file"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setText('');
          }}
        />
      </div>
      {!file && (
        <div className="field" style={{ marginTop: '0.5rem' }}>
          <label htmlFor="up-text">…or paste the dump</label>
          <textarea
            id="up-text"
            rows={6}
            className="mono"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={`# output of ${KINDS.find((k) => k.kind === kind)?.how}`}
          />
        </div>
      )}
      <div className="toolbar">
        <button
          type="button"
          className="primary"
          disabled={upload.isPending || (!file && !text.trim())}
          onClick={() => void send()}
        >
          {upload.isPending ? 'Uploading…' : 'Upload'}
        </button>
        {upload.isSuccess && !upload.isPending && (
          <span className="badge ok" role="status">
            ✓ uploaded; views update now
          </span>
        )}
      </div>
      {upload.isPending && progress && (
        <div role="status" aria-live="polite">
          <label htmlFor="up-progress">
            Uploading {formatBytes(progress.loaded)} of {formatBytes(progress.total)}
            {pct !== null ? ` (${pct} %)` : ''}
          </label>
          <progress id="up-progress" max={progress.total || 1} value={progress.loaded} />
        </div>
      )}
      {upload.isError && (
        <div className="state error" role="alert">
          {dumpError ? (
            <>
              <strong>
                The dump does not parse{dumpError.line !== null ? ` at line ${dumpError.line}` : ''}:
              </strong>{' '}
              {dumpError.error}
              {badLine !== null && <pre>{`${dumpError.line}: ${badLine}`}</pre>}
              <p>Fix that line (or upload the full, unedited output of the command above) and try again.</p>
            </>
          ) : (
            <>
              <strong>Upload failed:</strong>{' '}
              {upload.error instanceof Error ? upload.error.message : String(upload.error)}
            </>
          )}
        </div>
      )}
    </section>
  );
}
