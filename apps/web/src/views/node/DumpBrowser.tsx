import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { DumpKind, ParsedDumpDto } from '@svcpath/core';
import { useDumpParsed } from '../../api/hooks.js';
import { apiFetch, apiPath } from '../../api/client.js';
import { downloadBlob } from '../../util/export.js';
import { ErrorState, Loading } from '../../components/States.js';
import { chainExists, findChain, heat, maxPackets, searchRules } from './dump-search.js';

const PAGE = 1000;
const COUNTER_HINT: Record<DumpKind, string> = {
  iptables: 'iptables-save -c',
  ip6tables: 'ip6tables-save -c',
  nft: 'nft list ruleset with counter rules',
  ipvs: 'ipvsadm -Ln --stats',
  ipset: 'ipset save with counters',
};

/** Tables → chains → rules; jump targets open their chain; counters shown as a heat map. */
export function DumpBrowser({ node, kind }: { node: string; kind: DumpKind }) {
  const dump = useDumpParsed(node, kind);
  if (dump.isPending) return <Loading what={`the ${kind} dump of ${node}`} />;
  if (dump.isError)
    return (
      <ErrorState error={dump.error} what={`the ${kind} dump of ${node}`} retry={() => void dump.refetch()} />
    );
  return <Browser dump={dump.data} />;
}

function Browser({ dump }: { dump: ParsedDumpDto }) {
  const [params, setParams] = useSearchParams();
  const [limit, setLimit] = useState(PAGE);
  const q = params.get('q') ?? '';
  const firstTable = dump.tables[0];
  const table = params.get('table') ?? firstTable?.name ?? '';
  const chainParam = params.get('chain');
  const chainName =
    (chainParam !== null ? findChain(dump, table, chainParam) : null) ??
    dump.tables.find((t) => t.name === table)?.chains[0]?.name ??
    '';
  const chain = dump.tables.find((t) => t.name === table)?.chains.find((c) => c.name === chainName);
  const max = useMemo(() => maxPackets(dump), [dump]);
  const results = useMemo(() => searchRules(dump, q), [dump, q]);
  const hasCounters = max > 0;

  // Chain changes are history entries (Back returns to the previous chain); typing is not.
  const set = (changes: Record<string, string>, replace = false) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes))
          if (v) next.set(k, v);
          else next.delete(k);
        return next;
      },
      { replace },
    );
  const open = (t: string, c: string) => {
    setLimit(PAGE);
    set({ table: t, chain: c });
  };

  const errors = dump.info.issues;
  return (
    <section aria-labelledby="dump-title">
      <h2 id="dump-title">
        {dump.kind} dump: {dump.info.lines} lines{' '}
        <button type="button" style={{ fontSize: '0.85rem' }} onClick={() => void downloadRaw(dump)}>
          Download raw dump
        </button>
      </h2>
      {errors.length > 0 && (
        <details className="state error" open={errors.some((i) => i.severity === 'error')}>
          <summary>
            {errors.length} parse issue{errors.length === 1 ? '' : 's'} (rules on these lines were skipped or
            kept as unknown)
          </summary>
          <ul>
            {errors.slice(0, 200).map((i, k) => (
              <li key={k}>
                {i.severity === 'error' ? '✕' : '!'} {i.line !== null ? `line ${i.line}: ` : ''}
                {i.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="toolbar">
        <div className="field">
          <label htmlFor="rule-q">Search all rules</label>
          <input
            id="rule-q"
            type="search"
            value={q}
            onChange={(e) => set({ q: e.target.value }, true)}
            placeholder="10.96.0.10, KUBE-SVC-…, --dport 443"
            size={40}
          />
        </div>
        {hasCounters ? (
          <span className="muted">
            Counters present: rule rows are shaded by packets (log scale) and show the numbers.
          </span>
        ) : (
          <span className="muted">
            This dump has no counters ({COUNTER_HINT[dump.kind]} gives a heat map).
          </span>
        )}
      </div>
      {q && (
        <div className="card">
          <h3 style={{ marginTop: 0 }} role="status">
            {results.hits.length}
            {results.truncated ? '+' : ''} matching rule{results.hits.length === 1 ? '' : 's'}
          </h3>
          <ul style={{ maxHeight: '30vh', overflow: 'auto', margin: 0 }}>
            {results.hits.map((h, i) => (
              <li key={i}>
                <button type="button" className="link" onClick={() => open(h.table, h.chain)}>
                  {h.table}/{h.chain} #{h.index}
                </button>{' '}
                <code>{highlight(h.text, q)}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="dump-layout">
        <nav aria-label="Chains">
          <ul className="chain-list">
            {dump.tables.map((t) => (
              <li key={t.name}>
                <div className="table-name">table {t.name}</div>
                <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                  {t.chains.map((c) => (
                    <li key={c.name}>
                      <button
                        type="button"
                        aria-current={t.name === table && c.name === chainName}
                        onClick={() => open(t.name, c.name)}
                      >
                        <span>{c.name}</span>
                        <span className="muted">{c.rules.length}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </nav>
        <div>
          {!chain ? (
            <p className="muted">Choose a chain on the left.</p>
          ) : (
            <>
              <h3 style={{ marginTop: 0 }}>
                <span className="mono">{chain.name}</span> in table {table}: {chain.rules.length} rule
                {chain.rules.length === 1 ? '' : 's'}
                {chain.policy ? `, policy ${chain.policy}` : ''}
                {chain.hook ? `, hook ${chain.hook}` : ''}
              </h3>
              <div style={{ overflowX: 'auto' }}>
                <table className="data rules">
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">Line</th>
                      {hasCounters && <th scope="col">Packets / bytes</th>}
                      <th scope="col">Rule</th>
                      <th scope="col">Target</th>
                    </tr>
                  </thead>
                  <tbody>
                    {chain.rules.slice(0, limit).map((r) => {
                      const h = heat(r.packets, max);
                      return (
                        <tr
                          key={r.index}
                          style={
                            h > 0
                              ? { background: `hsl(var(--heat) / ${(0.08 + h * 0.4).toFixed(3)})` }
                              : undefined
                          }
                        >
                          <td>{r.index}</td>
                          <td className="muted">{r.line}</td>
                          {hasCounters && (
                            <td className="mono">
                              {r.packets ?? '—'} / {r.bytes ?? '—'}
                            </td>
                          )}
                          <td className="text">{highlight(r.text, q)}</td>
                          <td className="mono">
                            {chainExists(dump, table, r.target) && r.target ? (
                              <button
                                type="button"
                                className="link"
                                onClick={() => open(table, r.target ?? '')}
                                title={`Open chain ${r.target}`}
                              >
                                {r.target} →
                              </button>
                            ) : (
                              (r.target ?? '—')
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              {chain.rules.length > limit && (
                <button type="button" onClick={() => setLimit((l) => l + PAGE)}>
                  Show {Math.min(PAGE, chain.rules.length - limit)} more rules
                </button>
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}

/** Through apiFetch (not a plain link) so a bearer token, when needed, is sent. */
async function downloadRaw(dump: ParsedDumpDto): Promise<void> {
  const text = await apiFetch<string>(apiPath('nodes', dump.node, 'dumps', dump.kind), { text: true });
  downloadBlob(new Blob([text], { type: 'text/plain' }), `${dump.node}-${dump.kind}.txt`);
}

function highlight(text: string, q: string) {
  const needle = q.trim();
  if (!needle) return text;
  const i = text.toLowerCase().indexOf(needle.toLowerCase());
  if (i < 0) return text;
  return (
    <>
      {text.slice(0, i)}
      <mark>{text.slice(i, i + needle.length)}</mark>
      {text.slice(i + needle.length)}
    </>
  );
}
