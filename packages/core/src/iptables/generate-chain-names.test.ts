import { describe, expect, it } from 'vitest';
import { endpointChainName, servicePortChainNames } from '../naming/iptables-names.js';
import { cachedEndpointChainName, cachedServicePortChainNames } from './generate-chain-names.js';

describe('remembered chain names', () => {
  it('are the hashed names, first time and again', () => {
    for (let round = 0; round < 2; round++) {
      for (const [spn, proto, ep] of [
        ['default/kubernetes:https', 'TCP', '192.168.157.133:6443'],
        ['kube-system/kube-dns:dns', 'udp', '10.244.0.4:53'],
        ['ns1/web', 'SCTP', '[fd00:10::5]:80'],
      ] as const) {
        expect(cachedServicePortChainNames(spn, proto)).toEqual(servicePortChainNames(spn, proto));
        expect(cachedEndpointChainName(spn, proto, ep)).toBe(endpointChainName(spn, proto, ep));
      }
    }
    expect(cachedServicePortChainNames('default/kubernetes:https', 'tcp').svc).toBe(
      'KUBE-SVC-NPX46M4PTMTKRN6Y',
    );
  });

  it('keep working past the bound', () => {
    for (let i = 0; i < 100_010; i++)
      cachedEndpointChainName('ns/a:p', 'tcp', `10.0.${i >> 8}.${i & 255}:80`);
    expect(cachedEndpointChainName('ns/a:p', 'tcp', '10.0.0.1:80')).toBe(
      endpointChainName('ns/a:p', 'tcp', '10.0.0.1:80'),
    );
  });
});
