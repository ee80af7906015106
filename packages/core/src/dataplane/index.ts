export type * from './types.js';
export * from './read.js';
export * from './detect.js';
export * from './trace.js';
