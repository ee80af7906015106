export { traceIptables, type IptablesTraceOptions, type IpvsHook } from './trace.js';
