export type * from './types.js';
export * from './ip.js';
