// iptables chain names: prefix + the first 16 base32 characters of sha256 of the identity.
import { base32Encode } from './base32.js';
import { sha256 } from './sha256.js';

/**
 * The first `chars` base32 characters of sha256(input). Base32 is a plain bit stream, so encoding
 * only the digest bytes those characters need gives the same text at a fraction of the cost.
 */
export const hashBase32 = (input: string, chars = 16): string =>
  base32Encode(sha256(input).subarray(0, Math.ceil((chars * 5) / 8))).slice(0, chars);

/** The 16-character hash shared by KUBE-SVC/SVL/EXT/FW chains of one service port. */
export const servicePortChainHash = (servicePortName: string, protocol: string): string =>
  hashBase32(servicePortName + protocol.toLowerCase());

/** The 16-character hash of one endpoint's KUBE-SEP chain (`ep` is `ip:port` or `[ip6]:port`). */
export const endpointChainHash = (servicePortName: string, protocol: string, endpoint: string): string =>
  hashBase32(servicePortName + protocol.toLowerCase() + endpoint);

export interface ServicePortChainNames {
  svc: string;
  svl: string;
  ext: string;
  fw: string;
}

export function servicePortChainNames(servicePortName: string, protocol: string): ServicePortChainNames {
  const h = servicePortChainHash(servicePortName, protocol);
  return { svc: `KUBE-SVC-${h}`, svl: `KUBE-SVL-${h}`, ext: `KUBE-EXT-${h}`, fw: `KUBE-FW-${h}` };
}

export const endpointChainName = (servicePortName: string, protocol: string, endpoint: string): string =>
  `KUBE-SEP-${endpointChainHash(servicePortName, protocol, endpoint)}`;

/** The five per-service prefixes kube-proxy garbage-collects. */
export const IPTABLES_SERVICE_CHAIN_PREFIXES = [
  'KUBE-SVC-',
  'KUBE-SVL-',
  'KUBE-EXT-',
  'KUBE-FW-',
  'KUBE-SEP-',
] as const;
