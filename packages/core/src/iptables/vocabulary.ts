// What iptables itself knows: builtin chains per table, builtin match options, the options of
// the protocol modules that `-p` loads implicitly, and the targets that are not chains.

const BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** The builtin chains of a table in the order iptables-save prints them (empty for an unknown table). */
export function builtinChainsFor(table: string): readonly string[] {
  return Object.hasOwn(BUILTIN_CHAINS, table) ? (BUILTIN_CHAINS[table] ?? []) : [];
}

export function isBuiltinChain(table: string, chain: string): boolean {
  return builtinChainsFor(table).includes(chain);
}

/** Short and long spellings of the builtin matches, to their long name. */
export const BUILTIN_OPTIONS: ReadonlyMap<string, string> = new Map([
  ['-s', 'source'],
  ['--source', 'source'],
  ['--src', 'source'],
  ['-d', 'destination'],
  ['--destination', 'destination'],
  ['--dst', 'destination'],
  ['-p', 'protocol'],
  ['--protocol', 'protocol'],
  ['-i', 'in-interface'],
  ['--in-interface', 'in-interface'],
  ['-o', 'out-interface'],
  ['--out-interface', 'out-interface'],
  ['-f', 'fragment'],
  ['--fragment', 'fragment'],
]);

/** Short spelling of each builtin match, in the order iptables-save prints them. */
export const BUILTIN_SHORT: readonly (readonly [string, string])[] = [
  ['source', '-s'],
  ['destination', '-d'],
  ['in-interface', '-i'],
  ['out-interface', '-o'],
  ['protocol', '-p'],
  ['fragment', '-f'],
];

const PORT_OPTIONS = ['sport', 'source-port', 'dport', 'destination-port'];

/** Options of the modules that `-p <proto>` loads without `-m`. */
export const PROTOCOL_MODULE_OPTIONS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['tcp', new Set([...PORT_OPTIONS, 'tcp-flags', 'syn', 'tcp-option'])],
  ['udp', new Set(PORT_OPTIONS)],
  ['udplite', new Set(PORT_OPTIONS)],
  ['sctp', new Set([...PORT_OPTIONS, 'chunk-types'])],
  ['dccp', new Set([...PORT_OPTIONS, 'dccp-types', 'dccp-option'])],
  ['icmp', new Set(['icmp-type'])],
  ['icmpv6', new Set(['icmpv6-type'])],
  ['ipv6-icmp', new Set(['icmpv6-type'])],
  ['mh', new Set(['mh-type'])],
]);

const PROTOCOL_NUMBERS: ReadonlyMap<string, string> = new Map([
  ['6', 'tcp'],
  ['17', 'udp'],
  ['132', 'sctp'],
  ['1', 'icmp'],
  ['58', 'icmpv6'],
  ['136', 'udplite'],
  ['33', 'dccp'],
]);

/** `tcp` for `tcp`, `TCP` or `6`. */
export function protocolName(proto: string): string {
  const lower = proto.toLowerCase();
  return PROTOCOL_NUMBERS.get(lower) ?? lower;
}

/**
 * Options of common explicit modules. Used only to decide whether `--dport` after
 * `-m comment --comment x` belongs to the implicit protocol module (it does) or to an unknown
 * module that may define it (then it stays with that module).
 */
export const KNOWN_MODULE_OPTIONS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['comment', new Set(['comment'])],
  ['statistic', new Set(['mode', 'probability', 'every', 'packet'])],
  ['mark', new Set(['mark'])],
  ['connmark', new Set(['mark'])],
  ['state', new Set(['state'])],
  ['addrtype', new Set(['src-type', 'dst-type', 'limit-iface-in', 'limit-iface-out'])],
  ['nfacct', new Set(['nfacct-name'])],
  [
    'physdev',
    new Set(['physdev-in', 'physdev-out', 'physdev-is-in', 'physdev-is-out', 'physdev-is-bridged']),
  ],
  [
    'set',
    new Set([
      'match-set',
      'return-nomatch',
      'update-counters',
      'update-subcounters',
      'packets-eq',
      'packets-lt',
      'packets-gt',
      'bytes-eq',
      'bytes-lt',
      'bytes-gt',
    ]),
  ],
  ['multiport', new Set(['sports', 'dports', 'ports', 'source-ports', 'destination-ports'])],
  ['limit', new Set(['limit', 'limit-burst'])],
  [
    'recent',
    new Set([
      'name',
      'set',
      'rcheck',
      'update',
      'remove',
      'seconds',
      'reap',
      'hitcount',
      'rttl',
      'mask',
      'rsource',
      'rdest',
    ]),
  ],
  [
    'conntrack',
    new Set([
      'ctstate',
      'ctproto',
      'ctorigsrc',
      'ctorigdst',
      'ctreplsrc',
      'ctrepldst',
      'ctorigsrcport',
      'ctorigdstport',
      'ctreplsrcport',
      'ctrepldstport',
      'ctstatus',
      'ctexpire',
      'ctdir',
    ]),
  ],
  ['iprange', new Set(['src-range', 'dst-range'])],
  ['pkttype', new Set(['pkt-type'])],
  ['owner', new Set(['uid-owner', 'gid-owner', 'socket-exists', 'suppl-groups'])],
  ['socket', new Set(['transparent', 'nowildcard', 'restore-skmark'])],
]);

/** Targets that are not user chains (standard verdicts and common extension targets). */
export const NON_CHAIN_TARGETS: ReadonlySet<string> = new Set([
  'ACCEPT',
  'DROP',
  'RETURN',
  'QUEUE',
  'REJECT',
  'DNAT',
  'SNAT',
  'MASQUERADE',
  'REDIRECT',
  'NETMAP',
  'MARK',
  'CONNMARK',
  'LOG',
  'NFLOG',
  'ULOG',
  'CT',
  'NOTRACK',
  'TPROXY',
  'TCPMSS',
  'TOS',
  'DSCP',
  'TTL',
  'HL',
  'CLASSIFY',
  'CHECKSUM',
  'SET',
  'AUDIT',
  'TEE',
  'CLUSTERIP',
  'ECN',
  'NFQUEUE',
  'SECMARK',
  'CONNSECMARK',
  'IDLETIMER',
  'LED',
  'RATEEST',
  'TRACE',
  'SYNPROXY',
  'HMARK',
  'TCPOPTSTRIP',
  'CONNLIMIT',
]);
