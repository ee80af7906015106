import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIp } from '../common/ip.js';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import type { L4Protocol } from '../trace/types.js';
import { IPVS_SCHEDULERS } from './schedulers/index.js';
import type { ForwardingMethod, VirtualService } from './types.js';
import { formatIpvsadmSave } from './format-ipvsadm.js';
import { parseIpvsadm, parseIpvsNumber } from './parse-ipvsadm.js';
import { virtualServiceKey } from './virtual-service.js';

const dumps = sharedPath('dumps');

describe.skipIf(!dumps)('ipvsadm -Ln dump 10 (Calico, IPVS mode)', () => {
  const text = dumps ? readFileSync(join(dumps, '10-calico-ipvs-mode-ipvsadm-Ln.txt'), 'utf8') : '';
  const state = parseIpvsadm(text);

  it('reads every virtual service and real server without issues', () => {
    expect(state.issues).toEqual([]);
    expect(state.format).toBe('list');
    expect(state.version).toBe('1.2.1');
    expect(state.connectionTableSize).toBe(4096);
    expect(state.services.map(virtualServiceKey)).toEqual([
      'TCP 172.17.0.1:31195',
      'TCP 192.168.185.0:31195',
      'TCP 192.168.191.153:31195',
      'TCP 10.96.0.1:443',
      'TCP 10.96.0.10:53',
      'TCP 10.96.0.10:9153',
      'TCP 10.99.180.41:5473',
      'TCP 10.100.49.21:80',
      'TCP 10.101.177.188:443',
      'UDP 10.96.0.10:53',
    ]);
    expect(state.services.reduce((n, vs) => n + vs.realServers.length, 0)).toBe(22);
    expect(state.services.every((vs) => vs.scheduler === 'rr' && vs.persistenceTimeout === null)).toBe(true);
  });

  it('keeps connection counts, weights and forwarding', () => {
    const vs = state.services.find((s) => s.address === '10.101.177.188');
    expect(
      vs?.realServers.map((r) => [r.address, r.port, r.forwarding, r.weight, r.activeConns, r.inactConns]),
    ).toEqual([
      ['192.168.185.5', 5443, 'Masq', 1, 1, 1],
      ['192.168.185.6', 5443, 'Masq', 1, 1, 0],
    ]);
    expect(vs?.realServers[0]?.line).toBe(31);
  });
});

describe('ipvsadm -S -n', () => {
  const saved = [
    '-A -t 10.96.0.1:443 -s rr -p 10800',
    '-a -t 10.96.0.1:443 -r 192.168.0.11:6443 -m -w 1',
    '-a -t 10.96.0.1:443 -r 192.168.0.12:6443 -m -w 0',
    '-A -u 10.96.0.10:53 -s sh -b sh-fallback,sh-port',
    '-a -u 10.96.0.10:53 -r 10.244.1.3:53 -m -w 1',
    '-A --sctp-service 10.96.5.5:9999 -s wlc',
    '-a --sctp-service 10.96.5.5:9999 -r 10.244.2.2:9999 -g -w 3',
    '-A -t [fd00:10:96::1]:443 -s mh -b mh-port',
    '-a -t [fd00:10:96::1]:443 -r [fd00:10:244::5]:6443 -i -w 2',
    '-A -f 7 -s rr -p 300 -M 255.255.255.0',
    '-a -f 7 -r 10.0.0.9:0 -m -w 1',
  ].join('\n');

  it('reads protocols, IPv6, fwmark, flags, persistence and forwarding', () => {
    const state = parseIpvsadm(saved);
    expect(state.issues).toEqual([]);
    expect(state.format).toBe('save');
    const [kube, dns, sctp, v6, fwm] = state.services;
    expect(kube).toMatchObject({
      protocol: 'tcp',
      address: '10.96.0.1',
      port: 443,
      scheduler: 'rr',
      persistenceTimeout: 10800,
    });
    expect(kube?.realServers.map((r) => r.weight)).toEqual([1, 0]);
    expect(dns).toMatchObject({
      protocol: 'udp',
      scheduler: 'sh',
      schedulerFlags: ['sh-fallback', 'sh-port'],
    });
    expect(sctp?.realServers[0]).toMatchObject({ forwarding: 'Route', weight: 3 });
    expect(v6).toMatchObject({ family: 6, address: 'fd00:10:96::1', schedulerFlags: ['mh-port'] });
    expect(v6?.realServers[0]).toMatchObject({
      address: 'fd00:10:244::5',
      port: 6443,
      forwarding: 'Tunnel',
      weight: 2,
    });
    expect(fwm).toMatchObject({
      protocol: null,
      fwmark: 7,
      persistenceTimeout: 300,
      netmask: '255.255.255.0',
    });
  });

  it('writes back the same text', () => {
    expect(formatIpvsadmSave(parseIpvsadm(saved))).toBe(`${saved}\n`);
  });

  it('reports broken lines with their numbers and keeps the rest', () => {
    const state = parseIpvsadm(
      [
        '-A -t 10.0.0.1:80 -s rr',
        '-a -t 10.0.0.2:80 -r 10.1.1.1:80 -m -w 1',
        '-a -t 10.0.0.1:80 -r nonsense -m',
        '-a -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 1',
      ].join('\n'),
    );
    expect(state.issues.map((i) => [i.severity, i.line])).toEqual([
      ['error', 2],
      ['error', 3],
    ]);
    expect(state.services[0]?.realServers.map((r) => r.address)).toEqual(['10.1.1.2']);
  });

  it('reads pe and ops as ipvsadm -S prints them (without dashes)', () => {
    const vs = parseIpvsadm('-A -u 10.0.0.1:5060 -s rr -p 60 pe sip ops\n').services[0];
    expect(vs).toMatchObject({ persistenceTimeout: 60, persistenceEngine: 'sip', onePacket: true });
  });

  it('takes the -p default of 300 seconds when no timeout is given', () => {
    expect(parseIpvsadm('-A -t 10.0.0.1:80 -s rr -p\n').services[0]?.persistenceTimeout).toBe(300);
  });
});

describe('ipvsadm -Ln --stats / --rate / IPv6 / flags', () => {
  it('reads stats columns with K/M suffixes', () => {
    const text = [
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
      '  -> RemoteAddress:Port',
      'TCP  10.96.0.1:443                     1200   123456   100000  201545K  19876M',
      '  -> 192.168.0.1:6443                  1200   123456   100000  201545K  19876M',
    ].join('\n');
    const state = parseIpvsadm(text);
    expect(state.issues).toEqual([]);
    expect(state.format).toBe('stats');
    expect(state.services[0]?.stats).toEqual({
      conns: 1200,
      inPkts: 123456,
      outPkts: 100000,
      inBytes: 201545000,
      outBytes: 19876000000,
    });
    expect(state.services[0]?.realServers[0]?.stats?.outBytes).toBe(19876000000);
    expect(state.services[0]?.realServers[0]?.activeConns).toBeNull();
  });

  it('reads rate columns', () => {
    const text = [
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS',
      '  -> RemoteAddress:Port',
      'UDP  10.96.0.10:53                        3       12       12      900     1800',
      '  -> 10.244.0.5:53                        3       12       12      900     1800',
    ].join('\n');
    const state = parseIpvsadm(text);
    expect(state.format).toBe('rate');
    expect(state.services[0]?.rates).toEqual({ cps: 3, inPps: 12, outPps: 12, inBps: 900, outBps: 1800 });
  });

  it('reads IPv6, fwmark, persistence, mask, ops and scheduler flags in list form', () => {
    const text = [
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'TCP  [fd00::1]:443 rr persistent 10800 mask 255.255.255.0',
      '  -> [fd00::a]:6443               Masq    1      2          3',
      'FWM  1 IPv6 wlc ops',
      '  -> [fd00::b]:80                 Route   5      0          0',
      'TCP  10.0.0.1:80 mh (mh-fallback,mh-port)',
      '  -> 10.1.0.1:80                  Local   1      0          0',
    ].join('\n');
    const state = parseIpvsadm(text);
    expect(state.issues).toEqual([]);
    expect(state.services[0]).toMatchObject({
      family: 6,
      address: 'fd00::1',
      port: 443,
      persistenceTimeout: 10800,
      netmask: '255.255.255.0',
    });
    expect(state.services[0]?.realServers[0]).toMatchObject({
      address: 'fd00::a',
      port: 6443,
      activeConns: 2,
      inactConns: 3,
    });
    expect(state.services[1]).toMatchObject({ fwmark: 1, family: 6, scheduler: 'wlc', onePacket: true });
    expect(state.services[1]?.realServers[0]).toMatchObject({ forwarding: 'Route', weight: 5 });
    expect(state.services[2]?.schedulerFlags).toEqual(['mh-fallback', 'mh-port']);
    expect(state.services[2]?.realServers[0]?.forwarding).toBe('Local');
  });

  it('reads --thresholds and --persistent-conn columns', () => {
    const text = [
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port            Uthreshold Lthreshold ActiveConn InActConn',
      'TCP  10.0.0.1:80 wlc',
      '  -> 10.1.0.1:80                   10         5          8          2',
    ].join('\n');
    const state = parseIpvsadm(text);
    expect(state.issues).toEqual([]);
    expect(state.services[0]?.realServers[0]).toMatchObject({
      upperThreshold: 10,
      lowerThreshold: 5,
      activeConns: 8,
      inactConns: 2,
    });
    const pc = parseIpvsadm(
      [
        'Prot LocalAddress:Port Scheduler Flags',
        '  -> RemoteAddress:Port           Forward Weight PersistConn ActiveConn InActConn',
        'TCP  10.0.0.1:80 rr persistent 360',
        '  -> 10.1.0.1:80                  Masq    3      4           1          0',
      ].join('\n'),
    );
    expect(pc.services[0]?.realServers[0]).toMatchObject({ weight: 3, activeConns: 1, inactConns: 0 });
  });

  it('expands number suffixes', () => {
    expect(parseIpvsNumber('12')).toBe(12);
    expect(parseIpvsNumber('3K')).toBe(3000);
    expect(parseIpvsNumber('2G')).toBe(2e9);
    expect(parseIpvsNumber('x')).toBeNull();
  });
});

describe('parseIpvsadm on arbitrary input', () => {
  const alphabet = fc.constantFrom(...'-AaturfsmgiwpMb0123456789.:[]() \n\tTCPUDFWM->#kK'.split(''));
  it('never throws and gives line numbers inside the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 300 })), (text) => {
        const state = parseIpvsadm(text);
        const lines = text.split(/\r?\n/).length;
        for (const i of state.issues) {
          if (i.line !== null) {
            expect(i.line).toBeGreaterThanOrEqual(1);
            expect(i.line).toBeLessThanOrEqual(lines);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('formatIpvsadmSave ∘ parseIpvsadm', () => {
  const address = fc.oneof(
    fc.ipV4().map((a) => canonicalIp(a)),
    fc.ipV6().map((a) => canonicalIp(a)),
  );
  const realServer = fc.record({
    address,
    port: fc.integer({ min: 1, max: 65535 }),
    forwarding: fc.constantFrom<ForwardingMethod>('Masq', 'Route', 'Tunnel'),
    weight: fc.integer({ min: 0, max: 65535 }),
  });
  const service = fc.record({
    protocol: fc.constantFrom<L4Protocol>('tcp', 'udp', 'sctp'),
    address,
    port: fc.integer({ min: 1, max: 65535 }),
    scheduler: fc.constantFrom(...IPVS_SCHEDULERS),
    persistenceTimeout: fc.option(fc.integer({ min: 1, max: 86400 }), { nil: null }),
    onePacket: fc.boolean(),
    persistenceEngine: fc.constantFrom(null, 'sip'),
    realServers: fc.uniqueArray(realServer, { selector: (r) => `${r.address}|${r.port}`, maxLength: 5 }),
  });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(service, { selector: (s) => `${s.protocol}|${s.address}|${s.port}`, maxLength: 6 }),
        (raw) => {
          const services: VirtualService[] = raw.map((s) => ({
            ...s,
            fwmark: null,
            family: s.address.includes(':') ? 6 : 4,
            schedulerFlags: s.scheduler === 'mh' ? ['mh-port'] : [],
            netmask: null,
            onePacket: false,
            persistenceEngine: null,
            stats: null,
            rates: null,
            line: null,
            text: '',
            realServers: s.realServers.map((r) => ({
              ...r,
              activeConns: null,
              inactConns: null,
              stats: null,
              rates: null,
              line: null,
              text: '',
            })),
          }));
          const text = formatIpvsadmSave({ services });
          const parsed = parseIpvsadm(text);
          expect(parsed.issues).toEqual([]);
          const strip = (vss: VirtualService[]) =>
            vss.map((vs) => ({
              ...vs,
              line: null,
              text: '',
              realServers: vs.realServers.map((r) => ({ ...r, line: null, text: '' })),
            }));
          expect(strip(parsed.services)).toEqual(services);
          expect(formatIpvsadmSave(parsed)).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });
});
