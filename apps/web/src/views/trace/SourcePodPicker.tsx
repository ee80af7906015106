import { useEffect, useState, type KeyboardEvent } from 'react';
import type { PodDto } from '@svcpath/core';
import { usePods } from '../../api/hooks.js';
import { podKey } from './pod-source.js';
import './source-pod-picker.css';

/** Matches asked for per keystroke: enough to pick from, few enough to read. */
const SUGGESTIONS = 30;
const TYPING_PAUSE_MS = 200;

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return settled;
}

const describePod = (p: PodDto): string =>
  [
    p.podIPs.join(', ') || 'no IP yet',
    p.node === null ? 'not scheduled' : `on ${p.node}`,
    ...(p.hostNetwork ? ['hostNetwork'] : []),
    ...(p.ready ? [] : [p.phase === 'Running' || p.phase === null ? 'not ready' : p.phase]),
  ].join(' · ');

/**
 * "Source pod": a combobox (WAI-ARIA editable combobox with a listbox popup) over GET /api/pods,
 * any pod of the cluster, found by part of its namespace/name, an IP or its node. While not being
 * edited it shows the pod that is the trace's source.
 */
export function SourcePodPicker({
  selected,
  onPick,
}: {
  selected: PodDto | null;
  onPick: (pod: PodDto) => void;
}) {
  /** What is typed; null while not editing (the field then names the selected pod). */
  const [draft, setDraft] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const q = useDebounced(draft ?? '', TYPING_PAUSE_MS);
  const pods = usePods({ q, limit: SUGGESTIONS }, open);
  const items = open ? (pods.data?.items ?? []) : [];
  const activeIndex = active < items.length ? active : -1;
  const expanded = open && items.length > 0;
  // The suggestions answer what is typed now (not a few keys ago), so Enter may take the only one.
  const settled = q === (draft ?? '') && !pods.isPlaceholderData && !pods.isPending;

  useEffect(() => {
    if (activeIndex >= 0)
      document.getElementById(`t-pod-opt-${activeIndex}`)?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex]);

  const pick = (p: PodDto) => {
    setDraft(null);
    setOpen(false);
    setActive(-1);
    onPick(p);
  };
  const close = () => {
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) setOpen(true);
      else setActive((i) => Math.min(i + 1, items.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (open) setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter' && open) {
      // Enter picks (the one match, when nothing is highlighted); it must not submit the form.
      e.preventDefault();
      const choice =
        activeIndex >= 0 ? items[activeIndex] : settled && items.length === 1 ? items[0] : undefined;
      if (choice) pick(choice);
    } else if (e.key === 'Escape') {
      if (open) close();
      else setDraft(null);
    }
  };

  let status: string;
  if (!open) status = selected ? '' : 'Any pod: part of its name, an IP or its node.';
  else if (!settled && !pods.isError) status = 'Searching pods…';
  else if (pods.isError) status = '';
  else if (items.length === 0)
    status = q.trim() ? `No pod matches “${q.trim()}”.` : 'The cluster has no pods.';
  else if ((pods.data?.total ?? 0) > items.length)
    status = `${items.length} of ${pods.data?.total ?? 0} pods shown; type more to narrow.`;
  else status = `${items.length} ${items.length === 1 ? 'pod matches' : 'pods match'}.`;

  return (
    <div className="field pod-picker">
      <label htmlFor="t-pod">Source pod</label>
      <div className="pod-combobox">
        <input
          id="t-pod"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls="t-pod-list"
          aria-activedescendant={expanded && activeIndex >= 0 ? `t-pod-opt-${activeIndex}` : undefined}
          aria-describedby="t-pod-status"
          autoComplete="off"
          spellCheck={false}
          placeholder="namespace/name, IP or node"
          value={draft ?? (selected ? podKey(selected) : '')}
          onChange={(e) => {
            setDraft(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onClick={() => setOpen(true)}
          onKeyDown={onKeyDown}
          onBlur={() => {
            close();
            setDraft(null);
          }}
        />
        <ul id="t-pod-list" role="listbox" aria-label="Pods" className="pod-options" hidden={!expanded}>
          {items.map((p, i) => (
            <li
              key={podKey(p)}
              id={`t-pod-opt-${i}`}
              role="option"
              aria-selected={i === activeIndex}
              // Keep the focus in the field, so choosing does not first blur (and close) it.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(p)}
            >
              <span className="mono">{podKey(p)}</span> <span className="muted">{describePod(p)}</span>
            </li>
          ))}
        </ul>
      </div>
      <small id="t-pod-status" aria-live="polite">
        {status}
      </small>
      {open && pods.isError && (
        <small role="alert" className="pod-picker-error">
          Could not search pods: {pods.error.message}
        </small>
      )}
    </div>
  );
}
