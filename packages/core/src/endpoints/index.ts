export type * from './types.js';
export * from './service-ports.js';
export * from './categorize.js';
export * from './from-pods.js';
export * from './input-issues.js';
