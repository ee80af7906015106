// Reads `nft -j list ruleset` output. The JSON schema varies between nft versions, so anything
// unexpected is kept as an `unknown` expression with a path-tagged issue instead of failing.
import { issue, type ParseIssue } from '../common/issues.js';
import { newChain, newSet, newTable } from './parse-text.js';
import { renderExpr, renderStatements } from './render.js';
import type {
  NftExpr,
  NftSetElement,
  NftStatement,
  NftTable,
  NftVerdictName,
  NftRuleset,
  NftMatchOp,
} from './types.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: Json | undefined): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
const num = (v: Json | undefined): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : null;
/** The single key of `{ key: value }` objects, as nft's JSON uses them. */
const only = (o: JsonObject): [string, Json] | null => {
  const keys = Object.keys(o);
  const k = keys[0];
  return keys.length === 1 && k !== undefined ? [k, o[k] ?? null] : null;
};

const VERDICTS = new Set(['accept', 'drop', 'continue', 'return', 'jump', 'goto', 'reject', 'queue']);
const BINOPS = new Set(['&', '|', '^', '<<', '>>']);
const OPS: Readonly<Record<string, NftMatchOp>> = {
  '==': 'implicit',
  '!=': '!=',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
  in: 'implicit',
};

class JsonReader {
  readonly issues: ParseIssue[] = [];

  expr(v: Json | undefined, path: string): NftExpr {
    if (typeof v === 'string')
      return v.startsWith('@') ? { kind: 'setref', name: v.slice(1) } : { kind: 'value', text: v };
    if (typeof v === 'number' || typeof v === 'boolean') return { kind: 'value', text: String(v) };
    if (Array.isArray(v))
      return {
        kind: 'set',
        elements: v.map((x, i) => ({ value: this.expr(x, `${path}[${i}]`), comment: null, timeout: null })),
      };
    if (!isObject(v)) return this.unknown(v, path);
    const kv = only(v);
    if (kv === null) return this.unknown(v, path);
    const [k, body] = kv;
    if (k === 'payload' && isObject(body) && str(body['protocol']) !== null)
      return { kind: 'payload', protocol: str(body['protocol']) ?? '', field: str(body['field']) ?? '' };
    if (k === 'meta' && isObject(body)) return { kind: 'meta', key: str(body['key']) ?? '' };
    if (k === 'ct' && isObject(body)) {
      const dir = str(body['dir']);
      return dir === null
        ? { kind: 'ct', key: str(body['key']) ?? '' }
        : { kind: 'ct', key: str(body['key']) ?? '', dir };
    }
    if (k === 'fib' && isObject(body)) {
      const flags = body['flags'];
      return {
        kind: 'fib',
        result: str(body['result']) ?? '',
        flags: Array.isArray(flags) ? flags.map((f) => str(f) ?? '') : [str(flags) ?? ''],
      };
    }
    if (k === 'numgen' && isObject(body))
      return {
        kind: 'numgen',
        mode: str(body['mode']) ?? 'random',
        mod: num(body['mod']) ?? 1,
        offset: num(body['offset']) ?? 0,
      };
    if (k === 'concat' && Array.isArray(body))
      return { kind: 'concat', parts: body.map((x, i) => this.expr(x, `${path}.concat[${i}]`)) };
    if (k === 'prefix' && isObject(body))
      return { kind: 'value', text: `${str(body['addr']) ?? ''}/${num(body['len']) ?? ''}` };
    if (k === 'range' && Array.isArray(body))
      return { kind: 'value', text: body.map((x) => str(x) ?? '').join('-') };
    if (k === 'set' && Array.isArray(body)) return this.setLiteral(body, `${path}.set`);
    if (k === 'map' && isObject(body))
      return {
        kind: 'lookup',
        key: this.expr(body['key'], `${path}.map.key`),
        map: this.expr(body['data'], `${path}.map.data`),
      };
    if (k === 'elem' && isObject(body)) return this.expr(body['val'], `${path}.elem.val`);
    if (BINOPS.has(k) && Array.isArray(body) && body.length === 2) {
      const left = this.expr(body[0], `${path}[0]`);
      return {
        kind: 'binop',
        op: k as '&' | '|' | '^' | '<<' | '>>',
        left,
        right: markValue(left, this.expr(body[1], `${path}[1]`)),
      };
    }
    if (VERDICTS.has(k))
      return {
        kind: 'verdict',
        verdict: k as NftVerdictName,
        target: isObject(body) ? str(body['target']) : null,
      };
    if ((k === 'jhash' || k === 'symhash') && isObject(body)) {
      // Hash values are not modelled; kept readable for display.
      const over =
        body['expr'] === undefined ? '' : ` ${renderExpr(this.expr(body['expr'], `${path}.${k}.expr`))}`;
      const offset = num(body['offset']);
      return {
        kind: 'unknown',
        text: `${k}${over} mod ${num(body['mod']) ?? '?'}${offset !== null && offset !== 0 ? ` offset ${offset}` : ''}`,
      };
    }
    return this.unknown(v, path);
  }

  private unknown(v: Json | undefined, path: string): NftExpr {
    this.issues.push(issue('warning', null, 'expression not modelled', path));
    return { kind: 'unknown', text: JSON.stringify(v ?? null) };
  }

  /** `{"set": [...]}`: an anonymous set, or a map literal when entries are `[key, value]` pairs. */
  private setLiteral(items: Json[], path: string): NftExpr {
    if (items.length > 0 && items.every((x) => Array.isArray(x) && x.length === 2)) {
      return {
        kind: 'map',
        entries: items.map((x, i) => {
          const pair = x as Json[];
          return {
            key: this.expr(pair[0], `${path}[${i}][0]`),
            value: this.expr(pair[1], `${path}[${i}][1]`),
            comment: null,
          };
        }),
      };
    }
    return {
      kind: 'set',
      elements: items.map((x, i) => ({
        value: this.expr(x, `${path}[${i}]`),
        comment: isObject(x) && isObject(x['elem']) ? str(x['elem']['comment']) : null,
        timeout: isObject(x) && isObject(x['elem']) ? num(x['elem']['timeout']) : null,
      })),
    };
  }

  statement(v: Json | undefined, path: string): NftStatement {
    if (!isObject(v)) return { kind: 'unknown', text: JSON.stringify(v ?? null) };
    const kv = only(v);
    if (kv === null) return { kind: 'unknown', text: JSON.stringify(v) };
    const [k, body] = kv;
    if (k === 'match' && isObject(body)) {
      const op = OPS[str(body['op']) ?? '=='];
      if (op === undefined)
        this.issues.push(
          issue('warning', null, `match operator "${str(body['op']) ?? ''}" not modelled`, path),
        );
      const left = this.expr(body['left'], `${path}.match.left`);
      const markLeft = left.kind === 'binop' ? left.left : left;
      return {
        kind: 'match',
        left,
        op: op ?? '==',
        right: markValue(markLeft, this.expr(body['right'], `${path}.match.right`)),
      };
    }
    if (k === 'vmap' && isObject(body))
      return {
        kind: 'vmap',
        key: this.expr(body['key'], `${path}.vmap.key`),
        map: this.expr(body['data'], `${path}.vmap.data`),
      };
    if (k === 'mangle' && isObject(body))
      return {
        kind: 'assign',
        left: this.expr(body['key'], `${path}.mangle.key`),
        value: this.expr(body['value'], `${path}.mangle.value`),
      };
    if (k === 'masquerade')
      return { kind: 'masquerade', flags: isObject(body) ? flagList(body['flags']) : [] };
    if ((k === 'dnat' || k === 'snat') && isObject(body)) {
      const addr = body['addr'] === undefined ? null : this.expr(body['addr'], `${path}.${k}.addr`);
      const port = body['port'] === undefined ? null : this.expr(body['port'], `${path}.${k}.port`);
      const to: NftExpr | null =
        addr !== null && port !== null ? { kind: 'concat', parts: [addr, port] } : addr;
      return {
        kind: 'nat',
        type: k,
        family: str(body['family']),
        addrPort: false,
        to,
        flags: flagList(body['flags']),
      };
    }
    if (k === 'counter') {
      if (typeof body === 'string') return { kind: 'counter', name: body, packets: null, bytes: null };
      return {
        kind: 'counter',
        name: null,
        packets: isObject(body) ? num(body['packets']) : null,
        bytes: isObject(body) ? num(body['bytes']) : null,
      };
    }
    if (k === 'set' && isObject(body)) {
      const op = str(body['op']);
      const setName = (str(body['set']) ?? '').replace(/^@/, '');
      return {
        kind: 'dynset',
        op: op === 'add' ? 'add' : op === 'delete' ? 'delete' : 'update',
        set: setName,
        key: this.expr(body['elem'], `${path}.set.elem`),
        timeout: null,
      };
    }
    if (VERDICTS.has(k)) {
      const args =
        k === 'reject' && isObject(body)
          ? ['with', str(body['type']) ?? 'icmp', str(body['expr']) ?? ''].filter((x) => x !== '')
          : [];
      return {
        kind: 'verdict',
        verdict: k as NftVerdictName,
        target: isObject(body) ? str(body['target']) : null,
        args: k === 'reject' && args.join(' ') === 'with icmp port-unreachable' ? [] : args,
      };
    }
    if (k === 'limit' && isObject(body)) {
      this.issues.push(issue('warning', null, 'statement "limit" not modelled', path));
      const burst = num(body['burst']);
      const unit = str(body['rate_unit']);
      return {
        kind: 'unknown',
        text: `limit rate ${body['inv'] === true ? 'over ' : ''}${num(body['rate']) ?? '?'}${unit !== null && unit !== 'packets' ? ` ${unit}` : ''}/${str(body['per']) ?? 'second'}${burst !== null && burst !== 5 ? ` burst ${burst} packets` : ''}`,
      };
    }
    if (k === 'redirect') {
      this.issues.push(issue('warning', null, 'statement "redirect" not modelled', path));
      const port = isObject(body) ? str(body['port']) : null;
      return { kind: 'unknown', text: port === null ? 'redirect' : `redirect to :${port}` };
    }
    if (k === 'log') {
      const prefix = isObject(body) ? str(body['prefix']) : null;
      const level = isObject(body) ? str(body['level']) : null;
      return {
        kind: 'log',
        text: `log${prefix === null ? '' : ` prefix "${prefix}"`}${level === null ? '' : ` level ${level}`}`,
      };
    }
    this.issues.push(issue('warning', null, `statement "${k}" not modelled`, path));
    return { kind: 'unknown', text: JSON.stringify(v) };
  }

  elements(items: Json | undefined, isMap: boolean, path: string): NftSetElement[] {
    if (!Array.isArray(items)) return [];
    const keyParts = (e: NftExpr): string[] =>
      e.kind === 'concat'
        ? e.parts.map((p) => (p.kind === 'value' ? p.text : JSON.stringify(p)))
        : e.kind === 'value'
          ? [e.text]
          : [JSON.stringify(e)];
    return items.map((item, i) => {
      const p = `${path}[${i}]`;
      const keyJson = isMap && Array.isArray(item) ? item[0] : item;
      const meta = isObject(keyJson) && isObject(keyJson['elem']) ? keyJson['elem'] : null;
      const key = keyParts(this.expr(keyJson, p));
      let value: NftSetElement['value'] = null;
      if (isMap && Array.isArray(item)) {
        const v = this.expr(item[1], `${p}[1]`);
        value = v.kind === 'verdict' ? { verdict: v.verdict, target: v.target } : { data: keyParts(v) };
      }
      return {
        key,
        value,
        comment: meta === null ? null : str(meta['comment']),
        timeout: meta === null ? null : num(meta['timeout']),
        line: null,
      };
    });
  }
}

/** Marks print as `0x00004000` in `nft list`; JSON gives plain numbers. */
function markValue(left: NftExpr, right: NftExpr): NftExpr {
  const isMark = (left.kind === 'meta' || left.kind === 'ct') && left.key === 'mark';
  if (!isMark || right.kind !== 'value' || !/^\d+$/.test(right.text)) return right;
  return { kind: 'value', text: `0x${Number(right.text).toString(16).padStart(8, '0')}` };
}

function flagList(v: Json | undefined): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.map((x) => str(x) ?? '');
  return [];
}

/** Parses `nft -j list ruleset` (or `list table`) output. Never throws. */
export function parseNftJson(text: string): NftRuleset {
  const r = new JsonReader();
  const tables: NftTable[] = [];
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (e) {
    return {
      format: 'json',
      tables,
      issues: [issue('error', null, `not JSON: ${e instanceof Error ? e.message : String(e)}`)],
    };
  }
  const list = isObject(doc) ? doc['nftables'] : undefined;
  if (!Array.isArray(list))
    return {
      format: 'json',
      tables,
      issues: [issue('error', null, 'expected {"nftables": [...]}', 'nftables')],
    };
  const tableOf = (o: JsonObject, path: string): NftTable | null => {
    const family = str(o['family']) ?? 'ip';
    const name = str(o['table']) ?? '';
    const t = tables.find((x) => x.family === family && x.name === name);
    if (t === undefined)
      r.issues.push(issue('error', null, `table ${family} ${name} is not declared before use`, path));
    return t ?? null;
  };
  list.forEach((item, i) => {
    const path = `nftables[${i}]`;
    if (!isObject(item)) {
      r.issues.push(issue('error', null, 'expected an object', path));
      return;
    }
    const kv = only(item);
    if (kv === null || !isObject(kv[1])) {
      r.issues.push(issue('error', null, 'expected one object kind per entry', path));
      return;
    }
    const [kind, o] = kv;
    const p = `${path}.${kind}`;
    if (kind === 'metainfo') return;
    if (kind === 'table') {
      const t = newTable(str(o['family']) ?? 'ip', str(o['name']) ?? '', null);
      t.handle = num(o['handle']);
      t.comment = str(o['comment']);
      t.flags = flagList(o['flags']);
      tables.push(t);
      return;
    }
    const t = tableOf(o, p);
    if (t === null) return;
    if (kind === 'chain') {
      const c = newChain(str(o['name']) ?? '', null);
      c.handle = num(o['handle']);
      c.comment = str(o['comment']);
      if (o['hook'] !== undefined) {
        c.type = str(o['type']);
        c.hook = str(o['hook']);
        c.priority = num(o['prio']);
        c.priorityText = str(o['prio']);
        c.policy = str(o['policy']) === 'drop' ? 'drop' : 'accept';
      }
      t.chains.set(c.name, c);
    } else if (kind === 'rule') {
      const chainName = str(o['chain']) ?? '';
      const c = t.chains.get(chainName);
      if (c === undefined) {
        r.issues.push(issue('error', null, `rule of unknown chain ${chainName}`, p));
        return;
      }
      const exprs = Array.isArray(o['expr']) ? o['expr'] : [];
      const statements = exprs.map((e, j) => r.statement(e, `${p}.expr[${j}]`));
      const comment = str(o['comment']);
      if (comment !== null) statements.push({ kind: 'comment', text: comment });
      c.rules.push({
        index: c.rules.length + 1,
        line: null,
        path: p,
        handle: num(o['handle']),
        text: renderStatements(statements),
        statements,
        comment,
      });
    } else if (kind === 'set' || kind === 'map') {
      const s = newSet(kind, str(o['name']) ?? '', null);
      s.handle = num(o['handle']);
      const type = o['type'];
      s.keyType = Array.isArray(type) ? type.map((x) => str(x) ?? '') : [str(type) ?? ''];
      if (kind === 'map')
        s.dataType =
          str(o['map']) ?? (Array.isArray(o['map']) ? o['map'].map((x) => str(x) ?? '').join(' . ') : null);
      s.flags = flagList(o['flags']);
      s.timeout = num(o['timeout']);
      s.comment = str(o['comment']);
      s.elements = r.elements(o['elem'], kind === 'map', `${p}.elem`);
      t.sets.set(s.name, s);
    } else if (kind === 'counter') {
      const name = str(o['name']) ?? '';
      t.counters.set(name, {
        name,
        packets: num(o['packets']) ?? 0,
        bytes: num(o['bytes']) ?? 0,
        line: null,
      });
    } else {
      r.issues.push(issue('warning', null, `"${kind}" objects are not modelled; skipped`, p));
    }
  });
  return { format: 'json', tables, issues: r.issues };
}
