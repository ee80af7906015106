// @svcpath/demo: the built-in demo cluster and its timeline.
export {
  createDemoCluster,
  LAGGING_NODE,
  type DemoCluster,
  type DemoChangeEvent,
  type DemoDump,
} from './demo-cluster.js';
export { DEMO_NODES, SERVICE_CIDR, CLUSTER_CIDR, type DemoNodeSpec } from './nodes.js';
export { PHASES, PHASE_SECONDS, type Phase } from './timeline.js';
export type { WorkloadState } from './pods.js';
