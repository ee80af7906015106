import { parseHostPort } from '../common/ip.js';
// nftables object names: 8 base32 characters of sha256 + '-' + a readable base name.
import { hashBase32 } from './iptables-names.js';
import { utf8Length } from './utf8.js';

/** Longest base name kube-proxy keeps (the prefix such as `endpoint-` comes on top). */
export const NFT_NAME_BASE_MAX = 240;
/** nft rule and element comments are limited to 128 bytes. */
export const NFT_COMMENT_MAX_BYTES = 128;

export function hashAndTruncate(base: string): string {
  const name = `${hashBase32(base, 8)}-${base}`;
  return name.length > NFT_NAME_BASE_MAX ? `${name.slice(0, NFT_NAME_BASE_MAX - 3)}...` : name;
}

/** `<ns>/<svc>/<proto>/<portName>` hashed: shared by service-, local-, external-, firewall-. */
export const nftServicePortNameBase = (
  namespace: string,
  name: string,
  protocol: string,
  portName: string,
): string => hashAndTruncate(`${namespace}/${name}/${protocol.toLowerCase()}/${portName}`);

/** `<base>__<ip>/<port>` with IPv6 colons replaced by dots, hashed: shared by endpoint- and affinity-. */
export function nftEndpointNameBase(
  namespace: string,
  name: string,
  protocol: string,
  portName: string,
  endpoint: string,
): string {
  const { host, port } = parseHostPort(endpoint);
  return hashAndTruncate(
    `${namespace}/${name}/${protocol.toLowerCase()}/${portName}__${host.replaceAll(':', '.')}/${port ?? ''}`,
  );
}

/** Cuts a comment to at most 128 UTF-8 bytes without splitting a character. */
export function truncateNftComment(comment: string): string {
  if (utf8Length(comment) <= NFT_COMMENT_MAX_BYTES) return comment;
  let out = '';
  let bytes = 0;
  for (const ch of comment) {
    const n = utf8Length(ch);
    if (bytes + n > NFT_COMMENT_MAX_BYTES) break;
    out += ch;
    bytes += n;
  }
  return out;
}
