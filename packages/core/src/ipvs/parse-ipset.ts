// Parser for `ipset save` (`create …` / `add …`) and `ipset list` output. Never throws.
import { issue, type ParseIssue } from '../common/issues.js';
import type { IpsetEntry, IpsetSet, IpsetState } from './types.js';

/** Header options that are bare flags (no value). */
const FLAG_OPTIONS = new Set(['comment', 'counters', 'skbinfo', 'forceadd']);

/** Splits on spaces, keeping `"quoted text"` as one word (quotes removed). */
export function splitIpsetWords(text: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null)
    words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? ''));
  return words;
}

function readOptions(words: string[]): Record<string, string> {
  const opts: Record<string, string> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (FLAG_OPTIONS.has(w)) opts[w] = '';
    else {
      opts[w] = words[i + 1] ?? '';
      i++;
    }
  }
  return opts;
}

function familyOf(opts: Record<string, string>, type: string): 4 | 6 | null {
  if (opts['family'] === 'inet6') return 6;
  if (opts['family'] === 'inet') return 4;
  // hash:* sets default to inet; bitmap:port has no family.
  return type.startsWith('hash:') ? 4 : null;
}

function readEntry(words: string[], lineNo: number): IpsetEntry {
  const text = words[0] ?? '';
  const entry: IpsetEntry = {
    text,
    parts: text.split(','),
    timeout: null,
    comment: null,
    nomatch: false,
    line: lineNo,
  };
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w === 'nomatch') entry.nomatch = true;
    else if (w === 'timeout') {
      const v = Number(words[i + 1]);
      if (Number.isFinite(v)) entry.timeout = v;
      i++;
    } else if (w === 'comment') {
      entry.comment = words[i + 1] ?? '';
      i++;
    } else i++; // packets, bytes, skbmark, skbprio, skbqueue: a value each
  }
  return entry;
}

function newSet(name: string, type: string, opts: Record<string, string>, line: number): IpsetSet {
  return { name, type, family: familyOf(opts, type), options: opts, entries: [], line };
}

export function parseIpset(text: string): IpsetState {
  const input = typeof text === 'string' ? text : '';
  const lines = input.split(/\r?\n/);
  const issues: ParseIssue[] = [];
  const sets = new Map<string, IpsetSet>();
  const firstReal = lines.find((l) => l.trim() !== '' && !l.trim().startsWith('#'))?.trim() ?? '';
  const listed = firstReal.startsWith('Name:');
  if (firstReal === '') return { kind: 'ipset', format: 'empty', sets, issues };
  if (listed) parseListed(lines, sets, issues);
  else parseSaved(lines, sets, issues);
  return { kind: 'ipset', format: listed ? 'list' : 'save', sets, issues };
}

function parseSaved(lines: string[], sets: Map<string, IpsetSet>, issues: ParseIssue[]): void {
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const words = splitIpsetWords(text);
    if (words[0] === 'ipset') words.shift();
    const [cmd, name, arg] = words;
    if (cmd === 'create' || cmd === '-N' || cmd === 'n') {
      if (name === undefined || arg === undefined) {
        issues.push(issue('error', lineNo, 'create needs a set name and a type'));
        return;
      }
      if (sets.has(name)) issues.push(issue('warning', lineNo, `set ${name} created twice`));
      sets.set(name, newSet(name, arg, readOptions(words.slice(3)), lineNo));
      return;
    }
    if (cmd === 'add' || cmd === '-A' || cmd === 'a') {
      if (name === undefined || arg === undefined) {
        issues.push(issue('error', lineNo, 'add needs a set name and a member'));
        return;
      }
      const set = sets.get(name);
      if (!set) {
        issues.push(issue('error', lineNo, `member added to unknown set ${name}`));
        return;
      }
      set.entries.push(readEntry(words.slice(2), lineNo));
      return;
    }
    if (cmd === 'flush' || cmd === 'destroy' || cmd === 'swap' || cmd === 'rename') return;
    issues.push(issue('error', lineNo, `not an ipset save line: "${text.slice(0, 60)}"`));
  });
}

function parseListed(lines: string[], sets: Map<string, IpsetSet>, issues: ParseIssue[]): void {
  let current: IpsetSet | null = null;
  let inMembers = false;
  let pendingName: { name: string; line: number } | null = null;
  let pendingType = '';
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const text = raw.trim();
    if (text === '') {
      inMembers = false;
      return;
    }
    const header = /^([A-Za-z][A-Za-z ]*):\s*(.*)$/.exec(text);
    if (header && !inMembers) {
      const key = header[1] ?? '';
      const value = header[2] ?? '';
      if (key === 'Name') {
        pendingName = { name: value, line: lineNo };
        pendingType = '';
        current = null;
      } else if (key === 'Type') pendingType = value;
      else if (key === 'Header' || key === 'Members') {
        if (!current && pendingName) {
          if (pendingType === '')
            issues.push(issue('warning', pendingName.line, `set ${pendingName.name} has no Type line`));
          current = newSet(pendingName.name, pendingType, {}, pendingName.line);
          sets.set(current.name, current);
        }
        if (key === 'Header' && current) {
          current.options = readOptions(splitIpsetWords(value));
          current.family = familyOf(current.options, current.type);
        }
        if (key === 'Members') inMembers = true;
      }
      return;
    }
    if (text.startsWith('Name:')) {
      // A new set right after members without a blank line.
      inMembers = false;
      pendingName = { name: text.slice(5).trim(), line: lineNo };
      pendingType = '';
      current = null;
      return;
    }
    if (inMembers && current) {
      current.entries.push(readEntry(splitIpsetWords(text), lineNo));
      return;
    }
    issues.push(issue('error', lineNo, `unexpected line in ipset list output: "${text.slice(0, 60)}"`));
  });
}
