export type * from './types.js';
export * from './ip.js';
export * from './proxy-config.js';
