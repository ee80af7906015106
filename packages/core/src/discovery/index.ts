export * from './dns.js';
export * from './env-vars.js';
