import { utf8ToBytes } from '@noble/hashes/utils.js';

/** Byte length of `s` in UTF-8 (kube-proxy truncates nft comments by bytes). */
export const utf8Length = (s: string): number => utf8ToBytes(s).length;
