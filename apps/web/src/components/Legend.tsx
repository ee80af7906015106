/** What the graph's shapes, colours and marks mean; every mark also has words. */
export function Legend() {
  return (
    <div className="legend" aria-label="Graph legend" role="note">
      <span>
        <span className="swatch" style={{ background: 'var(--node-entry)' }} aria-hidden="true" />
        entry point (cluster IP, node port, LB IP, external IP)
      </span>
      <span>
        <span className="swatch" style={{ background: 'var(--node-chain)' }} aria-hidden="true" />
        chain / map / virtual server
      </span>
      <span>
        <span className="swatch" style={{ background: 'var(--node-endpoint)' }} aria-hidden="true" />
        endpoint (pod) — ready
      </span>
      <span>
        <span className="swatch" style={{ background: 'var(--node-endpoint-unready)' }} aria-hidden="true" />
        endpoint — not ready / terminating
      </span>
      <span>
        <span className="swatch" style={{ background: 'var(--node-drop)' }} aria-hidden="true" />⊘ DROP / ✕
        REJECT
      </span>
      <span>⇄ MASQ = source NAT (masquerade)</span>
      <span>⚓ affinity = ClientIP session affinity</span>
      <span>edge label = conditional probability; thicker = more likely; % = effective share</span>
      <span>dashed + “missing/extra” = drift between expected and actual</span>
      <span>highlighted (thick orange) = traced path</span>
    </div>
  );
}
