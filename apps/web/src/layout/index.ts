export * from './layered-layout.js';
export * from './crossings.js';
export * from './layers.js';
export * from './ordering.js';
export * from './graph-model.js';
export * from './drift.js';
export * from './trace-highlight.js';
export * from './graph-keys.js';
