export * from './issues.js';
export * from './ip.js';
