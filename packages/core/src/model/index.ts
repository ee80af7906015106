export type * from './types.js';
export * from './proxy-config.js';
export * from './parse-objects.js';
