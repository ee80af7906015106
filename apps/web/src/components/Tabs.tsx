import { useRef, type KeyboardEvent } from 'react';

export interface TabItem {
  id: string;
  label: string;
}

/** WAI-ARIA tabs: arrow keys move between tabs, the selected one is in the tab order. */
export function Tabs({
  items,
  selected,
  onSelect,
  label,
  panelId,
}: {
  items: TabItem[];
  selected: string;
  onSelect: (id: string) => void;
  label: string;
  panelId: string;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKey = (e: KeyboardEvent, i: number) => {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    let next =
      delta === 0
        ? e.key === 'Home'
          ? 0
          : e.key === 'End'
            ? items.length - 1
            : -1
        : (i + delta + items.length) % items.length;
    if (next < 0) return;
    e.preventDefault();
    next = Math.max(0, Math.min(items.length - 1, next));
    const item = items[next];
    if (item) onSelect(item.id);
    refs.current[next]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {items.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${panelId}-${i}`}
          aria-selected={t.id === selected}
          aria-controls={panelId}
          tabIndex={t.id === selected ? 0 : -1}
          onClick={() => onSelect(t.id)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
