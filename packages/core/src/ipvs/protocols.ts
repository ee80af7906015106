import type { L4Protocol } from '../trace/types.js';

/** Protocol names as ipvsadm prints them. */
export const PROTOCOL_NAMES: Record<L4Protocol, string> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

/** Protocol numbers as the kernel and `-m ipvs --vproto` use them. */
export const PROTOCOL_NUMBERS: Record<L4Protocol, number> = { tcp: 6, udp: 17, sctp: 132 };
