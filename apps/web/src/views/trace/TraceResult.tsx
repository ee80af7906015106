import type { TraceOutcome, TraceResponseDto } from '@svcpath/core';
import { Badge } from '../../components/HealthBadge.js';
import { formatShare } from '../../util/format.js';

const verdictBadge = (o: TraceOutcome) =>
  o.verdict === 'ACCEPT' ? (
    <Badge tone="ok" icon="✓">
      ACCEPT
    </Badge>
  ) : o.verdict === 'DROP' ? (
    <Badge tone="error" icon="⊘">
      DROP
    </Badge>
  ) : (
    <Badge tone="error" icon="✕">
      REJECT
    </Badge>
  );

/** The outcomes (one per branch) and, for the chosen one, the walk rule by rule. */
export function TraceResult({
  result,
  selected,
  onSelect,
}: {
  result: TraceResponseDto;
  selected: number;
  onSelect: (i: number) => void;
}) {
  const outcome = result.outcomes[selected];
  return (
    <>
      <p>
        Traced on <strong>{result.node}</strong> ({result.mode} mode, {result.view} rules):{' '}
        {result.packet.proto.toUpperCase()} {result.packet.src} → {result.packet.dst}:{result.packet.dport},
        starting at <strong>{result.packet.startHook}</strong>
        {result.packet.startHook === 'OUTPUT'
          ? ' (the source is local to the node)'
          : ' (the packet arrives from outside the node’s own stack)'}
        .
      </p>
      {result.warnings.length > 0 && (
        <ul>
          {result.warnings.map((w, i) => (
            <li key={i}>⚠ {w}</li>
          ))}
        </ul>
      )}
      <h2>
        {result.outcomes.length} outcome{result.outcomes.length === 1 ? '' : 's'}
      </h2>
      {result.outcomes.length === 0 && (
        <p className="muted">The tracer found no outcome; see the warnings above.</p>
      )}
      <div role="list">
        {result.outcomes.map((o, i) => (
          <div
            key={i}
            role="listitem"
            className="outcome"
            data-testid="trace-outcome"
            aria-current={i === selected}
          >
            <div className="toolbar" style={{ margin: 0 }}>
              <strong>{formatShare(o.probability)}</strong>
              {verdictBadge(o)}
              {o.dnat && (
                <span>
                  → endpoint <code>{o.dnat}</code>
                </span>
              )}
              {o.masquerade ? (
                <Badge tone="info" icon="⇄">
                  masqueraded (source NAT)
                </Badge>
              ) : (
                <Badge tone="neutral">source kept</Badge>
              )}
              {o.affinity && (
                <Badge
                  tone="info"
                  icon="⚓"
                >{`affinity pins later connections for ${o.affinity.timeoutSeconds} s`}</Badge>
              )}
              {o.assumptions.length > 0 && (
                <Badge
                  tone="warning"
                  icon="?"
                >{`${o.assumptions.length} assumption${o.assumptions.length === 1 ? '' : 's'}`}</Badge>
              )}
              <button type="button" aria-pressed={i === selected} onClick={() => onSelect(i)}>
                {i === selected ? 'Shown below' : 'Show walk'}
              </button>
            </div>
            {o.assumptions.length > 0 && (
              <ul className="muted">
                {o.assumptions.map((a, j) => (
                  <li key={j}>
                    Assumed <strong>{a.assumed}</strong>: <code>{a.match}</code> in {a.table} {a.chain} rule{' '}
                    {a.rule}
                  </li>
                ))}
              </ul>
            )}
            {o.notes.length > 0 && (
              <ul className="muted">
                {o.notes.map((n, j) => (
                  <li key={j}>{n}</li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
      {outcome && (
        <>
          <h2>
            Walk for outcome {selected + 1} ({formatShare(outcome.probability)}, {outcome.verdict})
          </h2>
          <div style={{ overflowX: 'auto' }}>
            <table className="data walk">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Hook</th>
                  <th scope="col">Table</th>
                  <th scope="col">Chain</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Rule text</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {outcome.path.map((s, i) => {
                  const branch = /statistic|numgen|probability|random|p=/i.test(s.action);
                  const verdict = /^(policy\s+)?(DROP|REJECT)\b/i.exec(s.action)?.[2]?.toUpperCase();
                  return (
                    <tr
                      key={i}
                      className={verdict ? `verdict-${verdict}` : undefined}
                      data-testid="trace-step"
                    >
                      <td>{i + 1}</td>
                      <td>{s.hook ?? ''}</td>
                      <td>{s.table}</td>
                      <td className="mono" style={{ whiteSpace: 'nowrap' }}>
                        {s.chain}
                      </td>
                      <td>{s.rule ?? 'policy'}</td>
                      <td className="mono" style={{ overflowWrap: 'anywhere' }}>
                        {s.text}
                        {s.line !== undefined && <span className="muted"> (line {s.line})</span>}
                      </td>
                      <td className="action">
                        {branch && <span aria-hidden="true">↳ </span>}
                        {s.action}
                        {branch && <span className="muted"> (branch)</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
