export type * from './types.js';
export { diffDataplanes, PROBABILITY_TOLERANCE } from './diff.js';
export { diffRulesets } from './diff-rulesets.js';
export { iptablesDriftChains, iptablesDriftInput, isKubeProxyChain } from './iptables-input.js';
export { nftDriftChains, nftDriftInput } from './nftables-input.js';
