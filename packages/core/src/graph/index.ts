export type * from './types.js';
export { buildIptablesGraph, describeConditions, type BuildIptablesGraphOptions } from './build-iptables.js';
export { effectiveShares } from './probability.js';
export {
  readKubeComment,
  serviceChain,
  type KubeComment,
  type CommentRole,
  type ServiceChainKind,
} from './kube-comments.js';
