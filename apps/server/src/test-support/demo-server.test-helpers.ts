// Servers over the demo cluster with a hand-moved clock, for route tests.
import type { FastifyInstance } from 'fastify';
import { buildServer, type BuildServerOptions } from '../app.js';
import { DemoClusterSource } from '../sources/demo.js';

export const DEMO_START = new Date('2026-01-01T00:00:00Z');

export interface TestClock {
  now: () => Date;
  /** Moves the clock forward by `seconds`. */
  advance(seconds: number): void;
}

export function testClock(start = DEMO_START): TestClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (s) => {
      t += s * 1000;
    },
  };
}

export interface DemoServer {
  app: FastifyInstance;
  source: DemoClusterSource;
  clock: TestClock;
}

export async function demoServer(opts: Partial<BuildServerOptions> = {}): Promise<DemoServer> {
  const clock = testClock();
  // A long tick: tests move the timeline by calling source.tick() themselves.
  const source = new DemoClusterSource({ now: clock.now, startTime: DEMO_START, tickMs: 3_600_000 });
  const app = await buildServer({ source, now: clock.now, ...opts });
  return { app, source, clock };
}
