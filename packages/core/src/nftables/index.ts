export * from './types.js';
export { parseNftText, parsePriority } from './parse-text.js';
export { parseNftJson } from './parse-json.js';
export { parseRuleText } from './parse-rule.js';
export { renderExpr, renderStatement, renderStatements, renderTable, serializeNftRuleset } from './render.js';
export { generateNftables, sortNftTransaction, normalizeSingleEndpointDnat } from './generate.js';
export type { GenerateNftablesOptions, GenerateNftablesResult } from './generate.js';
export { traceNftables } from './trace.js';
