// kube-proxy's test normalisation `sortIPTablesRules`: the order its expected dumps are written in.

interface SortTable {
  name: string;
  chains: Array<{ name: string; decl: string; rules: string[]; deleted: boolean }>;
}

const chainOf = (line: string): string => line.split(/\s+/)[1] ?? '';

/** The `--comment` value of a rule, unquoted, or ''. */
function commentOf(rule: string): string {
  const m = /--comment\s+("([^"]*)"|(\S+))/.exec(rule);
  return m ? (m[2] ?? m[3] ?? '') : '';
}

/** Service name as the sort uses it: comment text up to the first space or ':'. */
const serviceNameOf = (rule: string): string => commentOf(rule).split(/[ :]/)[0] ?? '';
const isLastRule = (rule: string): boolean => commentOf(rule).includes('must be the last rule');

function chainRank(name: string): number {
  if (name === 'KUBE-NODEPORTS') return 0;
  if (name === 'KUBE-SERVICES') return 1;
  return name.startsWith('KUBE-') ? 2 : 3;
}

export function sortIptablesRestore(text: string): string {
  const tables: SortTable[] = [];
  let current: SortTable | null = null;
  const chain = (name: string) => {
    if (!current) return null;
    let c = current.chains.find((x) => x.name === name);
    if (!c) current.chains.push((c = { name, decl: `:${name} - [0:0]`, rules: [], deleted: false }));
    return c;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      current = { name: line.slice(1), chains: [] };
      tables.push(current);
    } else if (line === 'COMMIT') current = null;
    else if (line.startsWith(':')) {
      const c = chain(line.slice(1).split(/\s+/)[0] ?? '');
      if (c) c.decl = line;
    } else if (line.startsWith('-A ')) chain(chainOf(line))?.rules.push(line);
    else if (line.startsWith('-X ')) {
      const c = chain(chainOf(line));
      if (c) c.deleted = true;
    }
  }
  tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const t of tables) {
    t.chains.sort(
      (a, b) => chainRank(a.name) - chainRank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    for (const c of t.chains) {
      if (c.name !== 'KUBE-NODEPORTS' && c.name !== 'KUBE-SERVICES') continue;
      const last = c.rules.filter(isLastRule);
      const rest = c.rules.filter((r) => !isLastRule(r));
      rest.sort((a, b) => {
        const x = serviceNameOf(a);
        const y = serviceNameOf(b);
        return x < y ? -1 : x > y ? 1 : 0;
      });
      c.rules = [...rest, ...last];
    }
    out.push(`*${t.name}`);
    for (const c of t.chains) out.push(c.decl);
    for (const c of t.chains) out.push(...c.rules);
    for (const c of t.chains) if (c.deleted) out.push(`-X ${c.name}`);
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}
