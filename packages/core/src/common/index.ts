export * from './issues.js';
export * from './ip.js';
export * from './ip-sloppy.js';
