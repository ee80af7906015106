// Reads the dataplane of the host the server runs on (opt-in: it needs root and the tools).
import { hostname } from 'node:os';
import type { DumpKind } from '@svcpath/core';
import { collectDumps, runCommand, type CommandRunner } from '../agent/commands.js';
import type { DumpStore } from '../services/dump-store.js';
import { DUMP_KINDS } from '../services/dump-store.js';
import { Poller } from './poller.js';
import type { Collector, CollectorStatus } from './types.js';

export interface LocalCollectorOptions {
  /** Called after each collection round. */
  afterRound?: () => void;
  /** The node this host is (default: the host name). */
  nodeName?: string;
  intervalMs?: number;
  timeoutMs?: number;
  run?: CommandRunner;
}

export class LocalHostCollector implements Collector {
  readonly name = 'local';
  private readonly poller: Poller;
  private readonly node: string;
  private state: CollectorStatus;

  constructor(
    private readonly dumps: DumpStore,
    private readonly now: () => Date,
    private readonly opts: LocalCollectorOptions = {},
  ) {
    this.node = opts.nodeName ?? hostname();
    this.state = { name: this.name, state: 'syncing', message: `reading ${this.node}'s dataplane` };
    this.poller = new Poller({
      intervalMs: opts.intervalMs ?? 30_000,
      maxBackoffMs: 300_000,
      task: () => this.collect(),
      ...(opts.afterRound ? { afterRound: opts.afterRound } : {}),
    });
  }

  async start(): Promise<void> {
    this.poller.start();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
  }

  async collect(): Promise<void> {
    const collected = await collectDumps(
      this.opts.run ?? runCommand,
      this.opts.timeoutMs ?? 20_000,
      this.now,
    );
    const at = new Date(collected.collectedAt);
    const errors: string[] = [];
    let got = 0;
    for (const kind of DUMP_KINDS as DumpKind[]) {
      const d = collected.dumps[kind];
      if (d && 'text' in d) {
        this.dumps.put(this.node, kind, d.text, 'local', at);
        got++;
      } else if (d) {
        errors.push(`${kind}: ${d.error}`);
        this.dumps.markStale(this.node, kind);
      }
    }
    if (got === 0) {
      this.state = {
        name: this.name,
        state: 'error',
        message: `no dump could be read on this host (${errors.join('; ')})`,
      };
      throw new Error('nothing collected');
    }
    this.state =
      errors.length > 0
        ? { name: this.name, state: 'ready', message: `some tools failed (${errors.join('; ')})` }
        : { name: this.name, state: 'ready' };
  }

  status(): CollectorStatus {
    return this.state;
  }
}
