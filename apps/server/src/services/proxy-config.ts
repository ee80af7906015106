// kube-proxy's KubeProxyConfiguration (as a source reads it from the ConfigMap) → the settings
// fields core's generators take. Unknown or absent fields keep kube-proxy's defaults.
import type { ProxySettings } from '@svcpath/core';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function settingsFromKubeProxyConfig(config: unknown): Partial<ProxySettings> {
  if (!isRecord(config)) return {};
  const out: Partial<ProxySettings> = {};
  const mode = str(config['mode']);
  if (mode === 'iptables' || mode === 'nftables' || mode === 'ipvs') out.mode = mode;
  const cidr = str(config['clusterCIDR']);
  if (cidr)
    out.clusterCIDRs = cidr
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '');
  const detect = str(config['detectLocalMode']);
  if (
    detect === 'ClusterCIDR' ||
    detect === 'NodeCIDR' ||
    detect === 'BridgeInterface' ||
    detect === 'InterfaceNamePrefix' ||
    detect === 'None'
  )
    out.detectLocalMode = detect;
  const detectLocal = config['detectLocal'];
  if (isRecord(detectLocal)) {
    const iface = str(detectLocal['bridgeInterface']) ?? str(detectLocal['interfaceNamePrefix']);
    if (iface) out.detectLocalInterface = iface;
  }
  const ipt = config['iptables'];
  if (isRecord(ipt)) {
    if (typeof ipt['masqueradeAll'] === 'boolean') out.masqueradeAll = ipt['masqueradeAll'];
    if (typeof ipt['masqueradeBit'] === 'number') out.masqueradeBit = ipt['masqueradeBit'];
    if (typeof ipt['localhostNodePorts'] === 'boolean') out.localhostNodePorts = ipt['localhostNodePorts'];
  }
  const ports = config['nodePortAddresses'];
  if (Array.isArray(ports)) out.nodePortAddresses = ports.filter((p): p is string => typeof p === 'string');
  const ipvs = config['ipvs'];
  if (isRecord(ipvs)) {
    const scheduler = str(ipvs['scheduler']);
    if (scheduler) out.ipvsScheduler = scheduler;
  }
  const gates = config['featureGates'];
  if (isRecord(gates))
    out.featureGates = Object.fromEntries(
      Object.entries(gates).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'),
    );
  return out;
}
