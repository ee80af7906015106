// Restore-text buffers: declared chains and rules of one table, in write order.

export class TableBuffer {
  readonly chains: string[] = [];
  readonly rules: string[] = [];
  /** Chains removed with `-X` (stale chains), written after the rules. */
  readonly deletes: string[] = [];
  private readonly declared = new Set<string>();

  constructor(readonly name: string) {}

  chain(name: string): void {
    if (this.declared.has(name)) return;
    this.declared.add(name);
    this.chains.push(name);
  }

  /** Appends `-A <chain> <args…>`; args are already-quoted words. */
  rule(chain: string, ...args: Array<string | readonly string[]>): void {
    this.rules.push(['-A', chain, ...args.flat()].join(' '));
  }

  /** The table as iptables-restore input (`*table`, chain lines, rules, `-X` lines, `COMMIT`). */
  text(): string {
    const lines = [`*${this.name}`, ...this.chains.map((c) => `:${c} - [0:0]`), ...this.rules];
    for (const c of this.deletes) lines.push(`-X ${c}`);
    lines.push('COMMIT', '');
    return lines.join('\n');
  }
}
