export type * from './types.js';
export * from './service-ports.js';
export * from './categorize.js';
