// Hashing for kube-proxy's chain names, from well-kept audited libraries.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** The SHA-256 digest of `data` (UTF-8 encoded when a string). */
export function sha256(data: Uint8Array | string): Uint8Array {
  return nobleSha256(typeof data === 'string' ? utf8ToBytes(data) : data);
}
