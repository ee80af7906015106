import { describe, expect, it } from 'vitest';
import { commandsForMode, modeFromProxyConfig } from './exec-commands.js';

const commands = (mode: Parameters<typeof commandsForMode>[0]) =>
  commandsForMode(mode).map((c) => c.command.join(' '));

describe('exec commands by mode', () => {
  it('runs the tools of the mode, and all of them when the mode is unknown', () => {
    expect(commands('iptables')).toEqual(['iptables-save -c', 'ip6tables-save -c']);
    expect(commands('nftables')).toEqual(['nft -j list ruleset']);
    expect(commands('ipvs')).toEqual([
      'iptables-save -c',
      'ip6tables-save -c',
      'ipvsadm -S -n',
      'ipset save',
    ]);
    expect(commands(null)).toHaveLength(5);
    expect(commandsForMode('nftables')[0]?.fallback).toEqual(['nft', 'list', 'ruleset']);
  });

  it("reads the mode from kube-proxy's configuration", () => {
    expect(modeFromProxyConfig({ mode: 'ipvs' })).toBe('ipvs');
    expect(modeFromProxyConfig({ mode: '' })).toBeNull();
    expect(modeFromProxyConfig({ mode: 'kernelspace' })).toBeNull();
    expect(modeFromProxyConfig(undefined)).toBeNull();
  });
});
