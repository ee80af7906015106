export type * from './types.js';
export * from './inputs.js';
export * from './checks.js';
