// The demo's live changes, as a pure function of time since the demo started: every
// PHASE_SECONDS the next phase begins, and the cycle repeats.
import { BASE_STATE, type WorkloadState } from './pods.js';

export const PHASE_SECONDS = 15;

export interface Phase {
  state: WorkloadState;
  /** What happened when this phase began, in words. */
  description: string;
}

export const PHASES: readonly Phase[] = [
  { state: BASE_STATE, description: 'hostnames is back to 3 replicas, all ready' },
  {
    state: { ...BASE_STATE, hostnamesUnready: true },
    description: 'hostnames-6f7b8d9c5-9mvtl on node-b fails its readiness probe and leaves the endpoints',
  },
  { state: BASE_STATE, description: 'hostnames-6f7b8d9c5-9mvtl is ready again' },
  {
    state: { ...BASE_STATE, hostnamesReplicas: 4 },
    description: 'the hostnames Deployment scales from 3 to 4 replicas',
  },
];

/** Index of the phase change count at `now` (0 at start, 1 after the first change, …). */
export function stepAt(start: Date, now: Date): number {
  const elapsed = Math.max(0, now.getTime() - start.getTime());
  return Math.floor(elapsed / (PHASE_SECONDS * 1000));
}

export function phaseOfStep(step: number): Phase {
  const p = PHASES[step % PHASES.length];
  if (!p) throw new Error('no phases');
  return p;
}
