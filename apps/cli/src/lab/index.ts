export { runLab, DEFAULT_CONNECTIONS, MAX_CONNECTIONS } from './run.js';
export { labUnavailable } from './preflight.js';
export { formatLabReport } from './format.js';
export { binomialTolerance, withinTolerance } from './stats.js';
export type {
  LabOptions,
  LabReport,
  LabTargetResult,
  LabCheck,
  LabOutcomeRow,
  LabOrigin,
  LabEntry,
  LabHost,
} from './types.js';
