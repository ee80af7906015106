/** A problem found while reading input: where it is and what was expected. */
export interface ParseIssue {
  severity: 'error' | 'warning';
  /** 1-based line in the input, or null when the problem is not tied to a line. */
  line: number | null;
  /** JSON path for JSON input (e.g. `nftables[3].rule.expr[0]`), when known. */
  path?: string;
  message: string;
}

export const issue = (
  severity: ParseIssue['severity'],
  line: number | null,
  message: string,
  path?: string,
): ParseIssue => (path === undefined ? { severity, line, message } : { severity, line, message, path });

export const hasErrors = (issues: readonly ParseIssue[]): boolean =>
  issues.some((i) => i.severity === 'error');
