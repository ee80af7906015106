// Restore-text buffers: declared chains and rules of one table, in write order.

export class TableBuffer {
  readonly chains: string[] = [];
  readonly rules: string[] = [];
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

  /** The table as iptables-restore input (`*table`, chain lines, rules, `COMMIT`). */
  text(): string {
    return [`*${this.name}`, ...this.chains.map((c) => `:${c} - [0:0]`), ...this.rules, 'COMMIT', ''].join(
      '\n',
    );
  }
}
