// RFC 4648 base32 (standard alphabet, with padding), as Go's base32.StdEncoding.
import { base32 } from '@scure/base';

export const base32Encode = (bytes: Uint8Array): string => base32.encode(bytes);
