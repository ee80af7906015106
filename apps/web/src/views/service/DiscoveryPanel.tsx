import type { DnsRecordDto } from '@svcpath/core';

/** How clients find the Service: DNS records and the environment variables pods get. */
export function DiscoveryPanel({
  dns,
  env,
}: {
  dns: DnsRecordDto[];
  env: Array<{ name: string; value: string }>;
}) {
  return (
    <section aria-labelledby="discovery-title">
      <h2 id="discovery-title">Discovery</h2>
      <div className="grid-2">
        <div className="card">
          <h3 style={{ marginTop: 0 }}>DNS</h3>
          {dns.length === 0 ? (
            <p className="muted">No DNS records.</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Name</th>
                  <th scope="col">Answer</th>
                </tr>
              </thead>
              <tbody>
                {dns.map((r, i) => (
                  <tr key={i}>
                    <td>{r.type}</td>
                    <td className="mono" style={{ overflowWrap: 'anywhere' }}>
                      {r.name}
                    </td>
                    <td className="mono" style={{ overflowWrap: 'anywhere' }}>
                      {r.value}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div className="card">
          <h3 style={{ marginTop: 0 }}>Environment variables</h3>
          <p className="muted">Set in pods created after the Service, in the same namespace.</p>
          {env.length === 0 ? (
            <p className="muted">None (ExternalName and headless Services get none).</p>
          ) : (
            <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
              {env.map((e) => `${e.name}=${e.value}`).join('\n')}
            </pre>
          )}
        </div>
      </div>
    </section>
  );
}
