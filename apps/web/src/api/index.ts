export * from './client.js';
export * from './queries.js';
export * from './hooks.js';
export * from './upload.js';
export * from './invalidation.js';
export * from './useLiveUpdates.js';
