import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseProxyConfigText } from './proxy-config-text.js';

describe('parseProxyConfigText', () => {
  it('parses a KubeProxyConfiguration as kubeadm writes it in the ConfigMap', () => {
    const text = [
      'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
      'bindAddress: 0.0.0.0',
      'clusterCIDR: 10.244.0.0/16',
      'iptables:',
      '  masqueradeAll: false',
      '  masqueradeBit: null',
      '  minSyncPeriod: 0s',
      'ipvs:',
      '  scheduler: ""',
      'kind: KubeProxyConfiguration',
      'mode: ""',
      'nodePortAddresses: null',
      '',
    ].join('\n');
    const parsed = parseProxyConfigText(text);
    expect(parsed).toEqual({
      ok: true,
      config: {
        apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
        bindAddress: '0.0.0.0',
        clusterCIDR: '10.244.0.0/16',
        iptables: { masqueradeAll: false, masqueradeBit: null, minSyncPeriod: '0s' },
        ipvs: { scheduler: '' },
        kind: 'KubeProxyConfiguration',
        mode: '',
        nodePortAddresses: null,
      },
    });
  });

  it('accepts JSON', () => {
    expect(parseProxyConfigText('{"mode":"nftables"}')).toEqual({ ok: true, config: { mode: 'nftables' } });
  });

  it('reports the line of a syntax error', () => {
    expect(parseProxyConfigText('mode: ipvs\nipvs:\n  scheduler: rr\n bad: [\n')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^line [34]: /),
    });
  });

  it('rejects documents that are not an object', () => {
    expect(parseProxyConfigText('- a\n- b\n')).toEqual({
      ok: false,
      error: 'not a KubeProxyConfiguration object',
    });
    expect(parseProxyConfigText('')).toEqual({ ok: false, error: 'not a KubeProxyConfiguration object' });
  });

  it('reports an unresolved alias instead of throwing', () => {
    expect(parseProxyConfigText('*!')).toMatchObject({ ok: false, error: expect.stringContaining('alias') });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.stringMatching(/^[-*&!:[\]{}|> a-z\n]{0,60}$/)),
        (text) => {
          const r = parseProxyConfigText(text);
          expect(typeof r.ok).toBe('boolean');
        },
      ),
    );
  });
});
