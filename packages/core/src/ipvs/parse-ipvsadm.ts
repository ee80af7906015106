// Parsers for `ipvsadm -S -n` (restore form) and `ipvsadm -Ln [--stats|--rate|--thresholds|--persistent-conn]`.
// They never throw: anything unreadable becomes a ParseIssue with its line number.
import { issue, type ParseIssue } from '../common/issues.js';
import type { L4Protocol } from '../trace/types.js';
import { parseIpPort } from '../common/ip.js';
import { virtualServiceKey } from './virtual-service.js';
import type {
  ForwardingMethod,
  IpvsDumpFormat,
  IpvsRates,
  IpvsState,
  IpvsStats,
  RealServer,
  VirtualService,
} from './types.js';

const SCHEDULER_FLAG_NAMES = new Set([
  'sh-fallback',
  'sh-port',
  'mh-fallback',
  'mh-port',
  'flag-1',
  'flag-2',
  'flag-3',
]);
const FORWARDING_NAMES: Record<string, ForwardingMethod> = {
  masq: 'Masq',
  route: 'Route',
  tunnel: 'Tunnel',
  local: 'Local',
};
const LIST_PROTOCOLS: Record<string, L4Protocol> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };
/** ipvsadm's default persistence timeout when `-p` has no value. */
const DEFAULT_PERSISTENCE = 300;

/** `12345`, `2345K`, `12M`, `3G` (ipvsadm divides by 1000 and adds a suffix past 8 digits). */
export function parseIpvsNumber(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(text);
  if (!m) return null;
  const mult = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * mult;
}

function newService(
  base: Pick<VirtualService, 'protocol' | 'address' | 'port' | 'fwmark' | 'family'>,
  line: number,
  text: string,
): VirtualService {
  return {
    protocol: base.protocol,
    address: base.address,
    port: base.port,
    fwmark: base.fwmark,
    family: base.family,
    scheduler: 'wlc',
    schedulerFlags: [],
    persistenceTimeout: null,
    netmask: null,
    onePacket: false,
    persistenceEngine: null,
    realServers: [],
    stats: null,
    rates: null,
    line,
    text,
  };
}

function splitFlags(text: string): string[] {
  return text
    .replace(/[()]/g, '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
}

/** Parses either dump form; the form is recognised from the text. */
export function parseIpvsadm(text: string): IpvsState {
  const input = typeof text === 'string' ? text : '';
  const lines = input.split(/\r?\n/);
  const firstReal = lines.find((l) => l.trim() !== '' && !l.trim().startsWith('#'))?.trim() ?? '';
  const looksSaved = /^(ipvsadm\s+)?(-[AaEe]\b|--(add|edit)-(service|server)\b|-C\b|--clear\b)/.test(
    firstReal,
  );
  const state: IpvsState = looksSaved ? parseSaved(lines) : parseListed(lines);
  if (state.services.length === 0 && state.issues.length === 0 && firstReal === '') state.format = 'empty';
  return state;
}

// ---------------------------------------------------------------------------------------------
// ipvsadm -S -n

interface SavedCommand {
  op: 'add-service' | 'edit-service' | 'add-server' | 'edit-server' | 'clear' | 'other';
  target: Pick<VirtualService, 'protocol' | 'address' | 'port' | 'fwmark' | 'family'> | null;
  options: Map<string, string | null>;
}

const SERVICE_OPTS: Record<string, L4Protocol | 'fwmark'> = {
  '-t': 'tcp',
  '--tcp-service': 'tcp',
  '-u': 'udp',
  '--udp-service': 'udp',
  '--sctp-service': 'sctp',
  '-f': 'fwmark',
  '--fwmark-service': 'fwmark',
};

/** Long names of options, and whether they take a value. */
const OPTION_ALIASES: Record<string, [string, boolean]> = {
  '-s': ['scheduler', true],
  '--scheduler': ['scheduler', true],
  '-p': ['persistent', false],
  '--persistent': ['persistent', false],
  '-M': ['netmask', true],
  '--netmask': ['netmask', true],
  '-b': ['sched-flags', true],
  '--sched-flags': ['sched-flags', true],
  '-o': ['ops', false],
  '--ops': ['ops', false],
  '--pe': ['pe', true],
  // ipvsadm -S prints these two without dashes.
  pe: ['pe', true],
  ops: ['ops', false],
  '-6': ['ipv6', false],
  '--ipv6': ['ipv6', false],
  '-r': ['real-server', true],
  '--real-server': ['real-server', true],
  '-w': ['weight', true],
  '--weight': ['weight', true],
  '-m': ['masquerading', false],
  '--masquerading': ['masquerading', false],
  '-g': ['gatewaying', false],
  '--gatewaying': ['gatewaying', false],
  '-i': ['ipip', false],
  '--ipip': ['ipip', false],
  '-x': ['u-threshold', true],
  '--u-threshold': ['u-threshold', true],
  '-y': ['l-threshold', true],
  '--l-threshold': ['l-threshold', true],
  '--tun-type': ['tun-type', true],
  '--tun-port': ['tun-port', true],
  '--tun-nocsum': ['tun-nocsum', false],
  '--tun-csum': ['tun-csum', false],
  '--tun-remcsum': ['tun-remcsum', false],
};

const OPS: Record<string, SavedCommand['op']> = {
  '-A': 'add-service',
  '--add-service': 'add-service',
  '-E': 'edit-service',
  '--edit-service': 'edit-service',
  '-a': 'add-server',
  '--add-server': 'add-server',
  '-e': 'edit-server',
  '--edit-server': 'edit-server',
  '-C': 'clear',
  '--clear': 'clear',
};

function readSavedCommand(words: string[], lineNo: number, issues: ParseIssue[]): SavedCommand | null {
  const cmd: SavedCommand = { op: 'other', target: null, options: new Map() };
  let fwmarkText: string | null = null;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const op = OPS[w];
    if (op) {
      if (cmd.op !== 'other') issues.push(issue('warning', lineNo, `two commands on one line (${w})`));
      cmd.op = op;
      continue;
    }
    const svc = SERVICE_OPTS[w];
    if (svc) {
      const value = words[i + 1];
      i++;
      if (value === undefined) {
        issues.push(issue('error', lineNo, `${w} needs an address`));
        return null;
      }
      if (svc === 'fwmark') {
        if (!/^\d+$/.test(value)) {
          issues.push(issue('error', lineNo, `bad firewall mark "${value}"`));
          return null;
        }
        fwmarkText = value;
        cmd.target = { protocol: null, address: null, port: null, fwmark: Number(value), family: 4 };
      } else {
        const hp = parseIpPort(value);
        if (!hp) {
          issues.push(
            issue(
              'error',
              lineNo,
              `bad service address "${value}" (expected IP:PORT or [IPv6]:PORT; use ipvsadm -n)`,
            ),
          );
          return null;
        }
        cmd.target = {
          protocol: svc,
          address: hp.address,
          port: hp.port ?? 0,
          fwmark: null,
          family: hp.family,
        };
      }
      continue;
    }
    const alias = OPTION_ALIASES[w];
    if (alias) {
      const [name, takesValue] = alias;
      if (name === 'persistent') {
        const next = words[i + 1];
        if (next !== undefined && /^\d+$/.test(next)) {
          cmd.options.set(name, next);
          i++;
        } else cmd.options.set(name, null);
        continue;
      }
      if (takesValue) {
        const next = words[i + 1];
        if (next === undefined) {
          issues.push(issue('error', lineNo, `${w} needs a value`));
          return null;
        }
        cmd.options.set(name, next);
        i++;
      } else cmd.options.set(name, null);
      continue;
    }
    issues.push(issue('warning', lineNo, `unknown ipvsadm option "${w}" ignored`));
  }
  if (fwmarkText !== null && cmd.target && cmd.options.has('ipv6')) cmd.target = { ...cmd.target, family: 6 };
  return cmd;
}

function parseSaved(lines: string[]): IpvsState {
  const issues: ParseIssue[] = [];
  const services: VirtualService[] = [];
  const byKey = new Map<string, VirtualService>();
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const words = text.split(/\s+/);
    if (words[0] === 'ipvsadm') words.shift();
    const cmd = readSavedCommand(words, lineNo, issues);
    if (!cmd) return;
    if (cmd.op === 'clear') return;
    if (cmd.op === 'other') {
      issues.push(issue('error', lineNo, 'not an ipvsadm -S line (expected -A or -a)'));
      return;
    }
    if (!cmd.target) {
      issues.push(issue('error', lineNo, 'no service given (-t, -u, --sctp-service or -f)'));
      return;
    }
    const key = virtualServiceKey(cmd.target);
    if (cmd.op === 'add-service' || cmd.op === 'edit-service') {
      let vs = byKey.get(key);
      if (vs && cmd.op === 'add-service')
        issues.push(issue('warning', lineNo, `service ${key} added twice; the later line wins`));
      if (!vs) {
        if (cmd.op === 'edit-service')
          issues.push(issue('warning', lineNo, `edit of unknown service ${key}; treated as an add`));
        vs = newService(cmd.target, lineNo, raw);
        services.push(vs);
        byKey.set(key, vs);
      }
      applyServiceOptions(vs, cmd.options, lineNo, issues);
      return;
    }
    const vs = byKey.get(key);
    if (!vs) {
      issues.push(issue('error', lineNo, `real server for unknown service ${key}`));
      return;
    }
    const rs = readSavedServer(vs, cmd.options, lineNo, raw, issues);
    if (!rs) return;
    const existing = vs.realServers.findIndex((r) => r.address === rs.address && r.port === rs.port);
    if (existing >= 0) {
      if (cmd.op === 'add-server')
        issues.push(issue('warning', lineNo, `real server ${rs.address}:${rs.port} added twice`));
      vs.realServers[existing] = rs;
    } else vs.realServers.push(rs);
  });
  return { kind: 'ipvs', format: 'save', version: null, connectionTableSize: null, services, issues };
}

function applyServiceOptions(
  vs: VirtualService,
  opts: Map<string, string | null>,
  lineNo: number,
  issues: ParseIssue[],
): void {
  const sched = opts.get('scheduler');
  if (sched) vs.scheduler = sched;
  if (opts.has('persistent')) {
    const t = opts.get('persistent');
    vs.persistenceTimeout = t ? Number(t) : DEFAULT_PERSISTENCE;
  }
  const mask = opts.get('netmask');
  if (mask) vs.netmask = mask;
  const flags = opts.get('sched-flags');
  if (flags) {
    vs.schedulerFlags = splitFlags(flags);
    for (const f of vs.schedulerFlags) {
      if (!SCHEDULER_FLAG_NAMES.has(f))
        issues.push(issue('warning', lineNo, `unknown scheduler flag "${f}"`));
    }
  }
  if (opts.has('ops')) vs.onePacket = true;
  const pe = opts.get('pe');
  if (pe) vs.persistenceEngine = pe;
}

function readSavedServer(
  vs: VirtualService,
  opts: Map<string, string | null>,
  lineNo: number,
  raw: string,
  issues: ParseIssue[],
): RealServer | null {
  const rsText = opts.get('real-server');
  if (!rsText) {
    issues.push(issue('error', lineNo, 'real server line without -r'));
    return null;
  }
  const hp = parseIpPort(rsText);
  if (!hp) {
    issues.push(issue('error', lineNo, `bad real server address "${rsText}"`));
    return null;
  }
  const weightText = opts.get('weight');
  let weight = 1;
  if (weightText !== undefined && weightText !== null) {
    if (!/^\d+$/.test(weightText)) {
      issues.push(issue('error', lineNo, `bad weight "${weightText}"`));
      return null;
    }
    weight = Number(weightText);
  }
  // ipvsadm's default forwarding method is direct routing (-g).
  const forwarding: ForwardingMethod = opts.has('masquerading')
    ? 'Masq'
    : opts.has('ipip')
      ? 'Tunnel'
      : 'Route';
  const rs: RealServer = {
    address: hp.address,
    port: hp.port ?? vs.port ?? 0,
    forwarding,
    weight,
    activeConns: null,
    inactConns: null,
    stats: null,
    rates: null,
    line: lineNo,
    text: raw,
  };
  const upper = opts.get('u-threshold');
  const lower = opts.get('l-threshold');
  if (upper && /^\d+$/.test(upper)) rs.upperThreshold = Number(upper);
  if (lower && /^\d+$/.test(lower)) rs.lowerThreshold = Number(lower);
  return rs;
}

// ---------------------------------------------------------------------------------------------
// ipvsadm -Ln

type ListKind = Exclude<IpvsDumpFormat, 'save' | 'empty'>;

function readStats(values: number[]): IpvsStats {
  const [conns = 0, inPkts = 0, outPkts = 0, inBytes = 0, outBytes = 0] = values;
  return { conns, inPkts, outPkts, inBytes, outBytes };
}

function readRates(values: number[]): IpvsRates {
  const [cps = 0, inPps = 0, outPps = 0, inBps = 0, outBps = 0] = values;
  return { cps, inPps, outPps, inBps, outBps };
}

function parseNumbers(words: string[], lineNo: number, issues: ParseIssue[]): number[] | null {
  const out: number[] = [];
  for (const w of words) {
    const n = parseIpvsNumber(w);
    if (n === null) {
      issues.push(issue('error', lineNo, `expected a number, found "${w}"`));
      return null;
    }
    out.push(n);
  }
  return out;
}

function parseListed(lines: string[]): IpvsState {
  const issues: ParseIssue[] = [];
  const services: VirtualService[] = [];
  let kind: ListKind = 'list';
  let version: string | null = null;
  let tableSize: number | null = null;
  /** Column names after `-> RemoteAddress:Port` (list form: Forward Weight ActiveConn InActConn). */
  let serverColumns: string[] = ['Forward', 'Weight', 'ActiveConn', 'InActConn'];
  let current: VirtualService | null = null;
  let sawHeader = false;

  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const versionMatch = /^IP Virtual Server version (\S+)(?: \(size=(\d+)\))?/.exec(text);
    if (versionMatch) {
      version = versionMatch[1] ?? null;
      tableSize = versionMatch[2] !== undefined ? Number(versionMatch[2]) : null;
      sawHeader = true;
      return;
    }
    if (text.startsWith('Prot LocalAddress:Port')) {
      const cols = text.split(/\s+/).slice(2);
      if (cols[0] === 'Conns') kind = 'stats';
      else if (cols[0] === 'CPS') kind = 'rate';
      else kind = 'list';
      sawHeader = true;
      return;
    }
    if (text.startsWith('-> RemoteAddress:Port')) {
      serverColumns = text.split(/\s+/).slice(2);
      if (kind !== 'list' && serverColumns.length === 0) serverColumns = [];
      sawHeader = true;
      return;
    }
    const words = text.split(/\s+/);
    if (words[0] === '->') {
      if (!current) {
        issues.push(issue('error', lineNo, 'real server line before any virtual service'));
        return;
      }
      const rs = readListedServer(words.slice(1), kind, serverColumns, current, lineNo, raw, issues);
      if (rs) current.realServers.push(rs);
      return;
    }
    const vs = readListedService(words, kind, lineNo, raw, issues);
    if (vs) {
      services.push(vs);
      current = vs;
    } else current = null;
  });
  if (!sawHeader && services.length > 0) {
    issues.push(issue('warning', null, 'no ipvsadm header lines; read as ipvsadm -Ln output'));
  }
  return { kind: 'ipvs', format: kind, version, connectionTableSize: tableSize, services, issues };
}

function readListedService(
  words: string[],
  kind: ListKind,
  lineNo: number,
  raw: string,
  issues: ParseIssue[],
): VirtualService | null {
  const protoWord = words[0] ?? '';
  const addrWord = words[1];
  if (addrWord === undefined) {
    issues.push(issue('error', lineNo, `unrecognised line "${raw.trim()}"`));
    return null;
  }
  let vs: VirtualService;
  let rest: string[];
  if (protoWord === 'FWM') {
    if (!/^\d+$/.test(addrWord)) {
      issues.push(issue('error', lineNo, `bad firewall mark "${addrWord}"`));
      return null;
    }
    rest = words.slice(2);
    let family: 4 | 6 = 4;
    if (rest[0] === 'IPv6') {
      family = 6;
      rest = rest.slice(1);
    }
    vs = newService(
      { protocol: null, address: null, port: null, fwmark: Number(addrWord), family },
      lineNo,
      raw,
    );
  } else {
    const protocol = LIST_PROTOCOLS[protoWord];
    if (!protocol) {
      issues.push(issue('error', lineNo, `unknown protocol "${protoWord}" (expected TCP, UDP, SCTP or FWM)`));
      return null;
    }
    const hp = parseIpPort(addrWord);
    if (!hp || hp.port === null) {
      issues.push(
        issue(
          'error',
          lineNo,
          `bad service address "${addrWord}" (names instead of numbers? use ipvsadm -Ln)`,
        ),
      );
      return null;
    }
    vs = newService(
      { protocol, address: hp.address, port: hp.port, fwmark: null, family: hp.family },
      lineNo,
      raw,
    );
    rest = words.slice(2);
  }
  if (kind === 'stats' || kind === 'rate') {
    const nums = parseNumbers(rest, lineNo, issues);
    if (nums) {
      if (nums.length !== 5)
        issues.push(issue('warning', lineNo, `expected 5 counters, found ${nums.length}`));
      if (kind === 'stats') vs.stats = readStats(nums);
      else vs.rates = readRates(nums);
    }
    vs.scheduler = '';
    return vs;
  }
  const sched = rest[0];
  if (sched === undefined) {
    issues.push(issue('warning', lineNo, 'no scheduler shown'));
    vs.scheduler = '';
    return vs;
  }
  vs.scheduler = sched;
  for (let i = 1; i < rest.length; i++) {
    const w = rest[i] ?? '';
    if (w === 'persistent') {
      const t = rest[i + 1];
      if (t !== undefined && /^\d+$/.test(t)) {
        vs.persistenceTimeout = Number(t);
        i++;
      } else vs.persistenceTimeout = DEFAULT_PERSISTENCE;
    } else if (w === 'mask') {
      const m = rest[i + 1];
      if (m !== undefined) vs.netmask = m;
      i++;
    } else if (w === 'pe') {
      const p = rest[i + 1];
      if (p !== undefined) vs.persistenceEngine = p;
      i++;
    } else if (w === 'ops') {
      vs.onePacket = true;
    } else {
      const flags = splitFlags(w);
      if (flags.length > 0 && flags.every((f) => SCHEDULER_FLAG_NAMES.has(f)))
        vs.schedulerFlags.push(...flags);
      else issues.push(issue('warning', lineNo, `unknown service flag "${w}" ignored`));
    }
  }
  return vs;
}

function readListedServer(
  words: string[],
  kind: ListKind,
  columns: string[],
  vs: VirtualService,
  lineNo: number,
  raw: string,
  issues: ParseIssue[],
): RealServer | null {
  const addrWord = words[0] ?? '';
  const hp = parseIpPort(addrWord);
  if (!hp) {
    issues.push(issue('error', lineNo, `bad real server address "${addrWord}"`));
    return null;
  }
  const rs: RealServer = {
    address: hp.address,
    port: hp.port ?? vs.port ?? 0,
    forwarding: 'Masq',
    weight: 1,
    activeConns: null,
    inactConns: null,
    stats: null,
    rates: null,
    line: lineNo,
    text: raw,
  };
  const values = words.slice(1);
  if (kind === 'stats' || kind === 'rate') {
    const nums = parseNumbers(values, lineNo, issues);
    if (nums) {
      if (kind === 'stats') rs.stats = readStats(nums);
      else rs.rates = readRates(nums);
    }
    return rs;
  }
  if (values.length !== columns.length) {
    issues.push(
      issue(
        'warning',
        lineNo,
        `expected ${columns.length} columns after the address, found ${values.length}`,
      ),
    );
  }
  columns.forEach((col, i) => {
    const v = values[i];
    if (v === undefined) return;
    if (col === 'Forward') {
      const f = FORWARDING_NAMES[v.toLowerCase()];
      if (f) rs.forwarding = f;
      else issues.push(issue('warning', lineNo, `unknown forwarding method "${v}"`));
      return;
    }
    const n = parseIpvsNumber(v);
    if (n === null) {
      issues.push(issue('error', lineNo, `expected a number in column ${col}, found "${v}"`));
      return;
    }
    if (col === 'Weight') rs.weight = n;
    else if (col === 'ActiveConn') rs.activeConns = n;
    else if (col === 'InActConn') rs.inactConns = n;
    else if (col === 'Uthreshold') rs.upperThreshold = n;
    else if (col === 'Lthreshold') rs.lowerThreshold = n;
  });
  return rs;
}
