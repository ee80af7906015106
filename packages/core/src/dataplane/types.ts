import type { ParseIssue } from '../common/issues.js';
import type { IptablesRuleset } from '../iptables/types.js';
import type { IpsetState, IpvsState } from '../ipvs/types.js';
import type { NftRuleset } from '../nftables/types.js';

/** The dump formats svcpath reads. */
export type DataplaneDumpKind = 'iptables' | 'ip6tables' | 'nft' | 'ipvs' | 'ipset';

/** One node's dataplane as read from its dumps (any subset). */
export interface NodeDataplane {
  iptables?: IptablesRuleset;
  ip6tables?: IptablesRuleset;
  nft?: NftRuleset;
  ipvs?: IpvsState;
  ipset?: IpsetState;
  issues: ParseIssue[];
}
