export * from './sha256.js';
export * from './base32.js';
export * from './probability.js';
export * from './iptables-names.js';
export * from './nftables-names.js';
export * from './utf8.js';
