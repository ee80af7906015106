// Prints the model back as `nft list ruleset` text (rules of JSON dumps, and the serializer).
import type {
  NftChain,
  NftExpr,
  NftRuleset,
  NftSet,
  NftSetElement,
  NftStatement,
  NftTable,
} from './types.js';

const quote = (s: string): string => `"${s}"`;
const BARE_META = new Set(['iifname', 'oifname', 'iif', 'oif']);
const IFNAME_META = new Set(['iifname', 'oifname']);

export function renderExpr(e: NftExpr): string {
  switch (e.kind) {
    case 'payload':
      return `${e.protocol} ${e.field}`;
    case 'meta':
      // nft prints interface keys bare (`iifname "lo"`), the others with `meta`.
      return BARE_META.has(e.key) ? e.key : `meta ${e.key}`;
    case 'ct':
      return e.dir === undefined ? `ct ${e.key}` : `ct ${e.dir} ${e.key}`;
    case 'fib':
      return `fib ${e.flags.join(' . ')} ${e.result}`;
    case 'numgen':
      return `numgen ${e.mode} mod ${e.mod}${e.offset !== 0 ? ` offset ${e.offset}` : ''}`;
    case 'value':
      return /[\s"]/.test(e.text) || e.text === '' ? quote(e.text) : e.text;
    case 'concat':
      return e.parts.map(renderExpr).join(' . ');
    case 'set':
      return `{ ${e.elements.map((el) => renderExpr(el.value) + (el.comment !== null ? ` comment ${quote(el.comment)}` : '')).join(', ')} }`;
    case 'map':
      return `{ ${e.entries.map((en) => `${renderExpr(en.key)}${en.comment !== null ? ` comment ${quote(en.comment)}` : ''} : ${renderExpr(en.value)}`).join(', ')} }`;
    case 'setref':
      return `@${e.name}`;
    case 'lookup':
      return `${renderExpr(e.key)} map ${renderExpr(e.map)}`;
    case 'binop':
      return `${renderExpr(e.left)} ${e.op} ${renderExpr(e.right)}`;
    case 'verdict':
      return e.target === null ? e.verdict : `${e.verdict} ${e.target}`;
    case 'unknown':
      return e.text;
  }
}

export function renderStatement(s: NftStatement): string {
  switch (s.kind) {
    case 'match': {
      const right =
        s.left.kind === 'meta' && IFNAME_META.has(s.left.key) && s.right.kind === 'value'
          ? quote(s.right.text)
          : renderExpr(s.right);
      return `${renderExpr(s.left)}${s.op === 'implicit' ? '' : ` ${s.op}`} ${right}`;
    }
    case 'verdict':
      return [s.verdict, ...(s.target !== null ? [s.target] : []), ...s.args].join(' ');
    case 'vmap':
      return `${renderExpr(s.key)} vmap ${renderExpr(s.map)}`;
    case 'nat': {
      const head = [
        s.type,
        ...(s.family !== null ? [s.family] : []),
        ...(s.addrPort ? ['addr . port'] : []),
        'to',
      ].join(' ');
      const to = s.to === null ? '' : renderNatTarget(s.to, s.addrPort);
      return [head, to, ...s.flags].filter((x) => x !== '').join(' ');
    }
    case 'masquerade':
      return ['masquerade', ...s.flags].join(' ');
    case 'assign':
      return `${renderExpr(s.left)} set ${renderExpr(s.value)}`;
    case 'dynset':
      return `${s.op} @${s.set} { ${renderExpr(s.key)}${s.timeout !== null ? ` timeout ${s.timeout}s` : ''} }`;
    case 'counter':
      if (s.name !== null) return `counter name ${quote(s.name)}`;
      return s.packets !== null ? `counter packets ${s.packets} bytes ${s.bytes ?? 0}` : 'counter';
    case 'comment':
      return `comment ${quote(s.text)}`;
    case 'log':
    case 'unknown':
      return s.text;
  }
}

/** `dnat to 10.0.0.1:80` keeps the `IP:PORT` spelling when the rule did not say `addr . port`. */
function renderNatTarget(to: NftExpr, addrPort: boolean): string {
  if (!addrPort && to.kind === 'concat' && to.parts.length === 2) {
    const [a, p] = to.parts;
    if (a?.kind === 'value' && p?.kind === 'value')
      return a.text.includes(':') ? `[${a.text}]:${p.text}` : `${a.text}:${p.text}`;
  }
  return renderExpr(to);
}

export const renderStatements = (statements: readonly NftStatement[]): string =>
  statements.map(renderStatement).join(' ');

function renderElement(el: NftSetElement): string {
  let s = el.key.join(' . ');
  if (el.timeout !== null) s += ` timeout ${el.timeout}s`;
  if (el.comment !== null) s += ` comment ${quote(el.comment)}`;
  if (el.value !== null)
    s += ` : ${'verdict' in el.value ? (el.value.target === null ? el.value.verdict : `${el.value.verdict} ${el.value.target}`) : el.value.data.join(' . ')}`;
  return s;
}

function renderSet(set: NftSet, ind: string): string[] {
  const lines = [`${ind}${set.kind} ${set.name} {`];
  lines.push(`${ind}\ttype ${set.keyType.join(' . ')}${set.dataType !== null ? ` : ${set.dataType}` : ''}`);
  if (set.flags.length > 0) lines.push(`${ind}\tflags ${set.flags.join(',')}`);
  if (set.timeout !== null) lines.push(`${ind}\ttimeout ${set.timeout}s`);
  if (set.comment !== null) lines.push(`${ind}\tcomment ${quote(set.comment)}`);
  if (set.elements.length > 0)
    lines.push(`${ind}\telements = { ${set.elements.map(renderElement).join(`,\n${ind}\t\t     `)} }`);
  lines.push(`${ind}}`);
  return lines;
}

function renderChain(chain: NftChain, ind: string): string[] {
  const lines = [`${ind}chain ${chain.name} {`];
  if (chain.comment !== null) lines.push(`${ind}\tcomment ${quote(chain.comment)}`);
  if (chain.type !== null && chain.hook !== null) {
    lines.push(
      `${ind}\ttype ${chain.type} hook ${chain.hook} priority ${chain.priority ?? 0}; policy ${chain.policy ?? 'accept'};`,
    );
  }
  for (const r of chain.rules) lines.push(`${ind}\t${r.text}`);
  lines.push(`${ind}}`);
  return lines;
}

export function renderTable(table: NftTable): string {
  const lines = [`table ${table.family} ${table.name} {`];
  if (table.comment !== null) lines.push(`\tcomment ${quote(table.comment)}`);
  const blocks: string[][] = [];
  for (const c of table.counters.values())
    blocks.push([`\tcounter ${c.name} {`, `\t\tpackets ${c.packets} bytes ${c.bytes}`, '\t}']);
  for (const s of table.sets.values()) blocks.push(renderSet(s, '\t'));
  for (const c of table.chains.values()) blocks.push(renderChain(c, '\t'));
  blocks.forEach((b, i) => {
    if (i > 0 || table.comment !== null) lines.push('');
    lines.push(...b);
  });
  lines.push('}');
  return lines.join('\n');
}

/** The ruleset as `nft list ruleset` prints it (numeric priorities); `nft -f` loads it back. */
export const serializeNftRuleset = (rs: NftRuleset): string =>
  rs.tables.map(renderTable).join('\n') + (rs.tables.length > 0 ? '\n' : '');
