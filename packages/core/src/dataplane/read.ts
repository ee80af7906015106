import type { ParseIssue } from '../common/issues.js';
import { parseIptables } from '../iptables/parse.js';
import { parseIpset } from '../ipvs/parse-ipset.js';
import { parseIpvsadm } from '../ipvs/parse-ipvsadm.js';
import { parseNftJson } from '../nftables/parse-json.js';
import { parseNftText } from '../nftables/parse-text.js';
import type { DataplaneDumpKind, NodeDataplane } from './types.js';

/** Adds one dump to a node's dataplane; issues are prefixed with the dump's name. */
export function addDump(
  dp: NodeDataplane,
  kind: DataplaneDumpKind,
  text: string,
  name: string = kind,
): NodeDataplane {
  const tag = (issues: readonly ParseIssue[]): ParseIssue[] =>
    issues.map((i) => ({ ...i, message: `${name}: ${i.message}` }));
  switch (kind) {
    case 'iptables':
    case 'ip6tables': {
      const rs = kind === 'ip6tables' ? parseIptables(text, { family: 6 }) : parseIptables(text);
      const slot = kind === 'ip6tables' || rs.family === 6 ? 'ip6tables' : 'iptables';
      return { ...dp, [slot]: rs, issues: [...dp.issues, ...tag(rs.issues)] };
    }
    case 'nft': {
      // `nft -j list ruleset` is JSON; `nft list ruleset` and transactions are text.
      const nft = text.trimStart().startsWith('{') ? parseNftJson(text) : parseNftText(text);
      return { ...dp, nft, issues: [...dp.issues, ...tag(nft.issues)] };
    }
    case 'ipvs': {
      const ipvs = parseIpvsadm(text);
      return { ...dp, ipvs, issues: [...dp.issues, ...tag(ipvs.issues)] };
    }
    case 'ipset': {
      const ipset = parseIpset(text);
      return { ...dp, ipset, issues: [...dp.issues, ...tag(ipset.issues)] };
    }
  }
}

export const emptyDataplane = (): NodeDataplane => ({ issues: [] });
