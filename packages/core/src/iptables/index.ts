export type * from './types.js';
export { parseIptables, parseCounters, type ParseIptablesOptions } from './parse.js';
export { tokenizeRule, isOptionWord, quoteWord, type RuleTokens } from './tokenize.js';
export { findOption, targetOption, ruleProbability, optionValue } from './rule-helpers.js';
export { builtinChainsFor, isBuiltinChain } from './vocabulary.js';
export * from './generate.js';
export { serializeIptables, renderRule, type SerializeIptablesOptions } from './serialize.js';
export { canonicalRuleKey, kernelProbability } from './canonical.js';
