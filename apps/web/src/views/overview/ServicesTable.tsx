import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ServiceSummaryDto } from '@svcpath/core';
import { HealthBadge } from '../../components/HealthBadge.js';
import { clusterIpText, policyText, portsText, type SortKey } from './service-columns.js';

const COLUMNS: Array<{ key: SortKey; label: string; width: string }> = [
  { key: 'namespace', label: 'Namespace', width: 'minmax(90px, 1fr)' },
  { key: 'name', label: 'Name', width: 'minmax(140px, 1.6fr)' },
  { key: 'type', label: 'Type', width: '122px' },
  { key: 'clusterIP', label: 'Cluster IP', width: '135px' },
  { key: 'ports', label: 'Ports', width: 'minmax(130px, 1.4fr)' },
  { key: 'endpoints', label: 'Ready / total', width: '120px' },
  { key: 'affinity', label: 'Affinity', width: '80px' },
  { key: 'policy', label: 'Traffic policies', width: '160px' },
  { key: 'health', label: 'Health', width: '100px' },
];
const TEMPLATE = COLUMNS.map((c) => c.width).join(' ');
const ROW_HEIGHT = 32;
const keyOf = (s: ServiceSummaryDto) => `${s.namespace}/${s.name}`;

/**
 * Virtualised: only the visible rows exist in the DOM, so 10,000 Services scroll smoothly.
 * Arrow keys move the selection, Enter opens the Service; the selection is kept by name
 * so it survives live updates and re-sorting.
 */
export function ServicesTable({
  items,
  sort,
  dir,
  onSort,
}: {
  items: ServiceSummaryDto[];
  sort: SortKey;
  dir: 'asc' | 'desc';
  onSort: (k: SortKey) => void;
}) {
  const navigate = useNavigate();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [focusWanted, setFocusWanted] = useState(false);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const selectedIndex = selected === null ? -1 : items.findIndex((s) => keyOf(s) === selected);
  const activeIndex = selectedIndex >= 0 ? selectedIndex : 0;

  useEffect(() => {
    if (!focusWanted) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      setFocusWanted(false);
    }
  });

  const open = (s: ServiceSummaryDto) =>
    navigate(`/services/${encodeURIComponent(s.namespace)}/${encodeURIComponent(s.name)}`);

  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 15, PageUp: -15 }[e.key];
    let next = step === undefined ? -1 : Math.max(0, Math.min(items.length - 1, index + step));
    if (e.key === 'Home') next = 0;
    if (e.key === 'End') next = items.length - 1;
    if (e.key === 'Enter') {
      const s = items[index];
      if (s) open(s);
      return;
    }
    if (next < 0) return;
    e.preventDefault();
    const s = items[next];
    if (!s) return;
    setSelected(keyOf(s));
    virtualizer.scrollToIndex(next, { align: 'auto' });
    setFocusWanted(true);
  };

  return (
    <div
      className="vtable"
      data-testid="services-table"
      role="table"
      aria-label="Services"
      aria-rowcount={items.length + 1}
      style={{ ['--cols' as string]: TEMPLATE }}
    >
      <div role="rowgroup">
        <div className="vhead" role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => (
            <div
              key={c.key}
              role="columnheader"
              aria-sort={c.key === sort ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <button type="button" onClick={() => onSort(c.key)} title={`Sort by ${c.label}`}>
                {c.label}
                {c.key === sort ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
              </button>
            </div>
          ))}
        </div>
      </div>
      <div
        className="vbody"
        ref={scrollRef}
        role="rowgroup"
        style={{ height: virtualizer.getTotalSize() + 2 }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const s = items[v.index];
            if (!s) return null;
            const isSel = v.index === selectedIndex;
            return (
              <div
                key={keyOf(s)}
                data-index={v.index}
                className={`vrow${isSel ? ' selected' : ''}`}
                data-testid="service-row"
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={isSel}
                tabIndex={v.index === activeIndex ? 0 : -1}
                style={{ top: v.start, height: ROW_HEIGHT }}
                onClick={() => {
                  setSelected(keyOf(s));
                  open(s);
                }}
                onFocus={() => setSelected(keyOf(s))}
                onKeyDown={(e) => onKeyDown(e, v.index)}
              >
                <div role="cell">{s.namespace}</div>
                <div role="cell">
                  <strong>{s.name}</strong>
                </div>
                <div role="cell">{s.type}</div>
                <div role="cell" className="mono">
                  {clusterIpText(s)}
                </div>
                <div role="cell" className="mono" title={portsText(s)}>
                  {portsText(s)}
                </div>
                <div role="cell">
                  {s.endpoints.ready} / {s.endpoints.total}
                </div>
                <div role="cell">{s.sessionAffinity === 'ClientIP' ? 'ClientIP' : '—'}</div>
                <div role="cell" title={policyText(s)}>
                  {policyText(s)}
                </div>
                <div role="cell">
                  <HealthBadge health={s.health} reasons={s.healthReasons} />
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
