export type * from './types.js';
export { diffDataplanes, PROBABILITY_TOLERANCE } from './diff.js';
export { diffRulesets } from './diff-rulesets.js';
export { iptablesDriftInput, isKubeProxyChain } from './iptables-input.js';
export { nftDriftInput } from './nftables-input.js';
