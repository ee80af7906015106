import { parseCidr } from '../../common/ip.js';
import type { IptablesChain, IptablesRule } from '../../iptables/types.js';

/**
 * Long chains (KUBE-SERVICES, KUBE-NODEPORTS hold one rule per Service port) are indexed by
 * the exact destination address or port a rule requires, so a trace looks only at the rules
 * that can match instead of scanning them all. Order is preserved by merging on rule index.
 */
interface ChainIndex {
  byDst: Map<string, IptablesRule[]>;
  byDport: Map<number, IptablesRule[]>;
  generic: IptablesRule[];
}

const INDEX_MIN_RULES = 32;
const indexes = new WeakMap<IptablesChain, ChainIndex>();

function hostKey(spec: string): string | null {
  const c = parseCidr(spec);
  if (!c || c.prefix !== (c.family === 4 ? 32 : 128)) return null;
  return `${c.family}:${c.value}`;
}

function exactDport(rule: IptablesRule): number | null {
  for (const m of rule.matches) {
    if (m.module !== 'tcp' && m.module !== 'udp' && m.module !== 'sctp') continue;
    for (const o of m.options) {
      if (
        (o.name === 'dport' || o.name === 'destination-port') &&
        !o.negated &&
        /^\d+$/.test(o.args[0] ?? '')
      ) {
        return Number(o.args[0]);
      }
    }
  }
  return null;
}

function exactDst(rule: IptablesRule): string | null {
  for (const m of rule.matches) {
    if (m.module !== '') continue;
    for (const o of m.options) {
      if (o.name === 'destination' && !o.negated) return hostKey(o.args[0] ?? '');
    }
  }
  return null;
}

function push<K>(map: Map<K, IptablesRule[]>, key: K, rule: IptablesRule): void {
  const list = map.get(key);
  if (list) list.push(rule);
  else map.set(key, [rule]);
}

function build(chain: IptablesChain): ChainIndex {
  const index: ChainIndex = { byDst: new Map(), byDport: new Map(), generic: [] };
  for (const rule of chain.rules) {
    const dst = exactDst(rule);
    if (dst !== null) {
      push(index.byDst, dst, rule);
      continue;
    }
    const dport = exactDport(rule);
    if (dport !== null) push(index.byDport, dport, rule);
    else index.generic.push(rule);
  }
  return index;
}

function mergeByIndex(lists: IptablesRule[][]): IptablesRule[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 1) return nonEmpty[0] ?? [];
  return nonEmpty.flat().sort((a, b) => a.index - b.index);
}

/** The rules of `chain` that can match a packet to `dst`/`dport`, in chain order. */
export function candidateRules(
  chain: IptablesChain,
  dst: { family: 4 | 6; value: bigint } | null,
  dport: number,
): IptablesRule[] {
  if (chain.rules.length < INDEX_MIN_RULES) return chain.rules;
  let index = indexes.get(chain);
  if (!index) {
    index = build(chain);
    indexes.set(chain, index);
  }
  const byDst = dst ? (index.byDst.get(`${dst.family}:${dst.value}`) ?? []) : [];
  return mergeByIndex([byDst, index.byDport.get(dport) ?? [], index.generic]);
}
