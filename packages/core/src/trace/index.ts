export type * from './types.js';
export * from './iptables/index.js';
export * from './flow-summary.js';
