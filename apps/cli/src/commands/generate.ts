import {
  generateIpvs,
  generateIptables,
  generateNftables,
  parseKubeObjects,
  proxySettingsFromConfig,
  type Node,
  type ParseIssue,
  type ProxySettings,
} from '@svcpath/core';
import { InputError, readStructured } from '../input/read-input.js';
import type { GenerateOptions } from '../input/schemas.js';

function describeIssues(source: string, issues: readonly ParseIssue[]): string[] {
  return issues.map(
    (i) =>
      `${source}${i.path ? ` ${i.path}` : ''}${i.line !== null ? `:${i.line}` : ''}: ${i.severity}: ${i.message}`,
  );
}

/** The node's kube-proxy settings: the config file, then the Node object, then the flags. */
export function settingsFor(
  opts: GenerateOptions,
  nodes: readonly Node[],
): { settings: ProxySettings; warnings: string[] } {
  const config = opts.proxyConfig ? readStructured(opts.proxyConfig) : undefined;
  const node = nodes.find((n) => n.metadata.name === opts.node);
  const overrides: Partial<ProxySettings> = {};
  if (opts.mode) overrides.mode = opts.mode;
  if (opts.clusterCidr) {
    overrides.clusterCIDRs = opts.clusterCidr.split(',');
    overrides.detectLocalMode = 'ClusterCIDR';
  }
  if (opts.nodeIp.length) overrides.nodeIPs = opts.nodeIp;
  const { settings, issues } = proxySettingsFromConfig(config, {
    name: opts.node,
    ...(node ? { node } : {}),
    overrides,
  });
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length)
    throw new InputError(describeIssues(opts.proxyConfig ?? 'proxy config', errors).join('\n'));
  const warnings = describeIssues(opts.proxyConfig ?? 'proxy config', issues);
  if (!node && !opts.nodeIp.length)
    warnings.push(
      `no Node named ${opts.node} in the cluster file and no --node-ip: NodePort rules match every local address`,
    );
  if (settings.nodeIPs.length === 0 && opts.nodeIp.length === 0)
    warnings.push(`node ${opts.node} has no addresses`);
  return { settings, warnings };
}

export function runGenerate(opts: GenerateOptions): string {
  const { state, issues } = parseKubeObjects(readStructured(opts.cluster));
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new InputError(describeIssues(opts.cluster, errors).join('\n'));
  const { settings, warnings } = settingsFor(opts, state.nodes);
  for (const w of [...describeIssues(opts.cluster, issues), ...warnings])
    process.stderr.write(`warning: ${w}\n`);
  const warn = (issues: readonly ParseIssue[]) => {
    for (const w of describeIssues('generate', issues)) process.stderr.write(`warning: ${w}\n`);
  };
  switch (settings.mode) {
    case 'iptables': {
      const r = generateIptables(state, settings, { family: opts.family, format: opts.format });
      warn(r.issues);
      return r.text.replace(/\n$/, '');
    }
    case 'nftables': {
      // `save` is what `nft list ruleset` shows; `restore-input` is kube-proxy's `nft -f` transaction.
      const r = generateNftables(state, settings, {
        family: opts.family,
        format: opts.format === 'save' ? 'ruleset' : 'transaction',
      });
      warn(r.issues);
      return r.text.replace(/\n$/, '');
    }
    case 'ipvs': {
      const r = generateIpvs(state, settings, { family: opts.family });
      warn(r.issues);
      const parts = { ipvs: r.ipvs, ipset: r.ipset, iptables: r.iptables };
      if (opts.part !== 'all') return parts[opts.part].replace(/\n$/, '');
      return [
        '# ipvsadm -S -n (load with ipvsadm -R)',
        r.ipvs.replace(/\n$/, ''),
        '# ipset save (load with ipset restore)',
        r.ipset.replace(/\n$/, ''),
        '# iptables-save (load with iptables-restore)',
        r.iptables.replace(/\n$/, ''),
      ].join('\n');
    }
  }
}
