import { addDump, detectDumpFormat, emptyDataplane, type NodeDataplane } from '@svcpath/core';
import { InputError, readText } from '../input/read-input.js';

/** Reads each dump file, detects its format and parses it into one node's dataplane. */
export function loadDumps(files: string[]): NodeDataplane {
  let dp = emptyDataplane();
  for (const file of files) {
    const text = readText(file);
    const format = detectDumpFormat(text);
    if (format === 'unknown') {
      throw new InputError(
        `${file}: not a dump svcpath reads (iptables-save, ip6tables-save, iptables -S, nft list ruleset, nft -j list ruleset, ipvsadm -S -n / -Ln, ipset save)`,
      );
    }
    dp = addDump(dp, format === 'nft-json' ? 'nft' : format, text, file);
  }
  return dp;
}
