export type * from './types.js';
export { parseIpvsadm, parseIpvsNumber } from './parse-ipvsadm.js';
export { formatIpvsadmSave, formatServiceLine, formatServerLine } from './format-ipvsadm.js';
export { parseIpset, splitIpsetWords } from './parse-ipset.js';
export { ipsetMatches, ipsetDimensions, type IpsetPacket } from './ipset-match.js';
export { virtualServiceKey, virtualServiceName } from './virtual-service.js';
export * from './schedulers/index.js';
export { ipvsLookup, type IpvsLookupResult } from './lookup.js';
export { buildIpvsGraph, type IpvsGraphOptions } from './graph.js';
export { generateIpvs, nodePortIPs, type GenerateIpvsOptions, type GenerateIpvsResult } from './generate.js';
export {
  generateIpvsIptables,
  notLocalMatch,
  type IpvsIptablesInput,
  type LbNoNodeAccess,
} from './generate-iptables.js';
export {
  KUBE_IPSETS,
  kubeIpsetName,
  emptyKubeIpsets,
  formatKubeIpsets,
  type KubeIpsetInfo,
  type KubeIpsetKey,
  type KubeIpsetMembers,
  type KubeIpsetType,
} from './kube-ipsets.js';
