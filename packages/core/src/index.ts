// @svcpath/core: kube-proxy's logic, pure: no I/O, no clocks, no framework.
export * from './common/index.js';
export * from './model/index.js';
export * from './endpoints/index.js';
export * from './naming/index.js';
export * from './iptables/index.js';
export * from './nftables/index.js';
export * from './ipvs/index.js';
export * from './trace/index.js';
export * from './graph/index.js';
export * from './diff/index.js';
export * from './discovery/index.js';
export * from './dumps/index.js';
export * from './api/index.js';
export * from './dataplane/index.js';
