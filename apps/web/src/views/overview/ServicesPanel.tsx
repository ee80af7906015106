import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useServices } from '../../api/hooks.js';
import { ErrorState, Loading, Empty } from '../../components/States.js';
import { isSortKey, sortServices, type SortKey } from './service-columns.js';
import { ServicesTable } from './ServicesTable.js';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

/** Search, filters and sort live in the URL so a filtered list can be shared and reloaded. */
export function ServicesPanel() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const namespace = params.get('namespace') ?? '';
  const type = params.get('type') ?? '';
  const sortParam = params.get('sort');
  const sort: SortKey = isSortKey(sortParam) ? sortParam : 'namespace';
  const dir = params.get('dir') === 'desc' ? 'desc' : 'asc';
  const [draft, setDraft] = useState(q);

  // Changes start from the address bar as it is now, not from the params of the render that
  // scheduled them: a delayed search update must not bring back filters cleared meanwhile.
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(changes))
      if (v) next.set(k, v);
      else next.delete(k);
    setParams(next, { replace: true });
  };

  // Back/forward or a cleared filter changes q under the search box: show it.
  useEffect(() => setDraft(q), [q]);

  // Typing updates the URL (and the request) after a short pause, not on every key. A pending
  // update is dropped when the user has left the overview meanwhile (the next view may still be
  // loading while this one is mounted), so the search never lands on another view's URL.
  useEffect(() => {
    if (draft === q) return undefined;
    const path = window.location.pathname;
    const t = window.setTimeout(() => {
      if (window.location.pathname !== path) return;
      const current = new URLSearchParams(window.location.search).get('q') ?? '';
      if (current !== draft) update({ q: draft });
    }, 250);
    return () => window.clearTimeout(t);
    // Only the draft drives this effect; update reads the live URL itself.
  }, [draft]);

  const services = useServices({ namespace, q, type });
  const sorted = useMemo(
    () => (services.data ? sortServices(services.data.items, sort, dir) : []),
    [services.data, sort, dir],
  );

  return (
    <section aria-labelledby="services-title">
      <h2 id="services-title">Services</h2>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="svc-q">Search</label>
          <input
            id="svc-q"
            type="search"
            value={draft}
            placeholder="name, IP, port…"
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="svc-ns">Namespace</label>
          <select id="svc-ns" value={namespace} onChange={(e) => update({ namespace: e.target.value })}>
            <option value="">all namespaces</option>
            {(services.data?.namespaces ?? (namespace ? [namespace] : [])).map((ns) => (
              <option key={ns} value={ns}>
                {ns}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="svc-type">Type</label>
          <select id="svc-type" value={type} onChange={(e) => update({ type: e.target.value })}>
            <option value="">all types</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        {(q || namespace || type) && (
          <button
            type="button"
            onClick={() => {
              setDraft('');
              update({ q: '', namespace: '', type: '' });
            }}
          >
            Clear filters
          </button>
        )}
        <span className="muted" role="status" aria-live="polite">
          {services.data ? `${services.data.total} Service${services.data.total === 1 ? '' : 's'}` : ''}
          {services.isFetching && services.data ? ' · updating…' : ''}
        </span>
      </form>
      {services.isPending ? (
        <Loading what="Services" />
      ) : services.isError ? (
        <ErrorState error={services.error} what="Services" retry={() => void services.refetch()} />
      ) : sorted.length === 0 ? (
        <Empty title="No Services match">
          <p>
            {q || namespace || type
              ? 'Change or clear the filters above.'
              : 'The cluster has no Services yet, or svcpath may not list them (check RBAC and the source status above).'}
          </p>
        </Empty>
      ) : (
        <ServicesTable
          items={sorted}
          sort={sort}
          dir={dir}
          onSort={(k) => update({ sort: k, dir: k === sort && dir === 'asc' ? 'desc' : 'asc' })}
        />
      )}
    </section>
  );
}
