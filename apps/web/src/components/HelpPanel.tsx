import { useEffect, useRef } from 'react';
import { Legend } from './Legend.js';

/** The help panel: kube-proxy's vocabulary in a few sentences each, one click from anywhere. */
export function HelpPanel({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="help" aria-labelledby="help-title" onClose={onClose}>
      <header>
        <h2 id="help-title" style={{ margin: 0 }}>
          Help and legend
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      {/* Focusable so that keyboard users can scroll the explanations. */}
      <div className="help-body" tabIndex={0} role="region" aria-label="Explanations">
        <h3>Legend</h3>
        <Legend />
        <h3>Chains kube-proxy writes (iptables mode)</h3>
        <dl className="glossary">
          <dt>KUBE-SERVICES</dt>
          <dd>
            Entered from PREROUTING and OUTPUT in the nat table. One rule per Service IP and port sends
            matching packets to that Service’s chain.
          </dd>
          <dt>KUBE-NODEPORTS</dt>
          <dd>
            The last rule of KUBE-SERVICES jumps here for packets to a local address; one rule per node port.
          </dd>
          <dt>KUBE-SVC-…</dt>
          <dd>
            A Service port’s cluster-wide policy: one rule per ready endpoint with{' '}
            <code>-m statistic --mode random --probability p</code>. With n endpoints the rules use 1/n,
            1/(n−1), … 1, so each endpoint gets an equal share.
          </dd>
          <dt>KUBE-SVL-…</dt>
          <dd>
            The node-local policy used with internalTrafficPolicy or externalTrafficPolicy Local: only
            endpoints on this node.
          </dd>
          <dt>KUBE-EXT-…</dt>
          <dd>
            Traffic from outside (node ports, load balancer and external IPs): marks for masquerade when
            needed, then goes to KUBE-SVC or KUBE-SVL.
          </dd>
          <dt>KUBE-FW-…</dt>
          <dd>
            Load balancer firewall: checks loadBalancerSourceRanges; packets from other sources are dropped.
          </dd>
          <dt>KUBE-SEP-…</dt>
          <dd>One per endpoint: marks hairpin traffic for masquerade and DNATs to the pod’s IP:port.</dd>
          <dt>KUBE-MARK-MASQ / KUBE-POSTROUTING</dt>
          <dd>
            Masquerade: a packet gets mark 0x4000; in POSTROUTING it is SNATed to the node’s address so
            replies come back through this node.
          </dd>
        </dl>
        <h3>Masquerade and affinity</h3>
        <p>
          <strong>Masquerade</strong> rewrites the source address to the node’s, hiding the client IP from the
          pod. kube-proxy does it for traffic from outside the cluster CIDR to cluster IPs, for node ports
          with externalTrafficPolicy Cluster, and for a pod reaching itself through its Service.
        </p>
        <p>
          <strong>Session affinity (ClientIP)</strong> pins a client IP to one endpoint for a timeout (10800 s
          by default): the <code>recent</code> module in iptables, persistence in IPVS, sets with timeouts in
          nftables. A trace shows the first connection of a new client; later ones follow the pinned endpoint.
        </p>
        <h3>Proxy modes</h3>
        <dl className="glossary">
          <dt>iptables</dt>
          <dd>
            Rules in the nat table, evaluated in order; endpoints chosen at random with the probabilities
            above. Cost grows with the number of rules.
          </dd>
          <dt>nftables</dt>
          <dd>
            Table <code>ip kube-proxy</code>: verdict maps look up the Service by address and port, and a{' '}
            <code>numgen random mod n</code> map picks the endpoint in one step.
          </dd>
          <dt>IPVS</dt>
          <dd>
            The kernel’s load balancer: one virtual server per Service IP and port, real servers for
            endpoints, and a scheduler:
            <ul>
              <li>
                <code>rr</code> round robin: each new connection goes to the next real server in turn
                (kube-proxy’s default).
              </li>
              <li>
                <code>wrr</code> weighted round robin: like rr, in proportion to the weights.
              </li>
              <li>
                <code>lc</code> least connection: the server with the fewest active connections.
              </li>
              <li>
                <code>wlc</code> weighted least connection: fewest connections relative to weight.
              </li>
              <li>
                <code>lblc</code> locality-based least connection: the same destination IP goes to the same
                server unless it is overloaded.
              </li>
              <li>
                <code>lblcr</code> locality-based with replication: a set of servers per destination IP, grown
                when all are busy.
              </li>
              <li>
                <code>dh</code> destination hashing: a static hash of the destination address picks the
                server.
              </li>
              <li>
                <code>sh</code> source hashing: a static hash of the client address, so a client keeps its
                server.
              </li>
              <li>
                <code>sed</code> shortest expected delay: the server with the smallest (active + 1) / weight.
              </li>
              <li>
                <code>nq</code> never queue: an idle server if there is one, otherwise sed.
              </li>
              <li>
                <code>mh</code> Maglev hashing: consistent hashing of the source, moving few clients when
                servers change.
              </li>
            </ul>
            Companion iptables rules and ipsets (KUBE-CLUSTER-IP, KUBE-LOOP-BACK, …) handle masquerade and
            filtering.
          </dd>
          <dt>userspace (history)</dt>
          <dd>
            kube-proxy itself accepted connections on a local port and copied bytes to a backend. Slow;
            removed in Kubernetes 1.26. Explained here, not emulated.
          </dd>
          <dt>Windows kernelspace (history and Windows nodes)</dt>
          <dd>
            On Windows, kube-proxy programs load balancers in the Host Networking Service (HNS/VFP) instead of
            netfilter. Explained here, not emulated.
          </dd>
        </dl>
        <h3>Expected and actual</h3>
        <p>
          <em>Expected</em> is what kube-proxy should program, generated from the cluster’s Services and
          endpoints and the node’s proxy settings. <em>Actual</em> is the node’s own dump. Differences (drift)
          are marked on the graph and listed under Diagnostics.
        </p>
        <h3>Keyboard</h3>
        <p>
          Tab moves between controls, graph nodes and edges; focusing a graph node or edge shows its raw rule.
          In the graph, arrow keys move along edges (left, right) and within a column (up, down). In the
          Services table, arrow keys move the selection and Enter opens the Service. Arrow keys also move
          between tabs. Esc closes this panel or a tooltip. In the actual view, a click on a box (or Enter)
          opens its chain in the node’s dump browser.
        </p>
      </div>
    </dialog>
  );
}
