import type { IptablesRuleset } from '../iptables/types.js';
import { diffDataplanes } from './diff.js';
import { iptablesDriftInput } from './iptables-input.js';
import type { DriftReport } from './types.js';

/** Expected (generated) versus actual (dumped) iptables rules of one node. */
export function diffRulesets(expected: IptablesRuleset, actual: IptablesRuleset): DriftReport {
  return diffDataplanes(iptablesDriftInput(expected), iptablesDriftInput(actual));
}
