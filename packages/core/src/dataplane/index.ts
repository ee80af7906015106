export type * from './types.js';
export * from './read.js';
export * from './trace.js';
export * from './graph.js';
