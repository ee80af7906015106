// Restore-text buffers: declared chains and rules of one table, in write order.

export class TableBuffer {
  readonly chains: string[] = [];
  readonly rules: string[] = [];
  /**
   * When kept (save format), the iptables-save form of each rule whose writer knows it, at the
   * rule's index; other rules are rewritten from their restore form.
   */
  readonly saveForms: Array<string | undefined> | null;
  /** Chains removed with `-X` (stale chains), written after the rules. */
  readonly deletes: string[] = [];
  private readonly declared = new Set<string>();

  constructor(
    readonly name: string,
    keepSaveForms = false,
  ) {
    this.saveForms = keepSaveForms ? [] : null;
  }

  chain(name: string): void {
    if (this.declared.has(name)) return;
    this.declared.add(name);
    this.chains.push(name);
  }

  /** Appends `-A <chain> <args…>`; args are already-quoted words. */
  rule(chain: string, ...args: Array<string | readonly string[]>): void {
    // One array joined once: the line is flat text (cheaper to keep than concatenated pieces).
    const words = ['-A', chain];
    for (const a of args) {
      if (typeof a === 'string') words.push(a);
      else for (const w of a) words.push(w);
    }
    this.rules.push(words.join(' '));
    this.saveForms?.push(undefined);
  }

  /**
   * `rule`, with the iptables-save form of the same rule as words (kept, joined, when save forms
   * are). Joined text is flat, which keeps it cheap to hold until the dump is written.
   */
  ruleWithSaveForm(
    save: readonly string[] | undefined,
    chain: string,
    ...args: Array<string | readonly string[]>
  ): void {
    this.rule(chain, ...args);
    if (this.saveForms !== null && save !== undefined)
      this.saveForms[this.saveForms.length - 1] = save.join(' ');
  }

  /** The table as iptables-restore input (`*table`, chain lines, rules, `-X` lines, `COMMIT`). */
  text(): string {
    const lines = [`*${this.name}`, ...this.chains.map((c) => `:${c} - [0:0]`), ...this.rules];
    for (const c of this.deletes) lines.push(`-X ${c}`);
    lines.push('COMMIT', '');
    return lines.join('\n');
  }
}
