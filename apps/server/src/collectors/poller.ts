// A periodic task with exponential backoff after failures; timers are unref'd so a forgotten
// poller never keeps the process alive.
export interface PollerOptions {
  intervalMs: number;
  maxBackoffMs: number;
  /** One round; throwing counts as a failure and backs off. */
  task: () => Promise<void>;
  /** Called after every round, failed or not (e.g. to announce a status change). */
  afterRound?: () => void;
}

export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private failures = 0;
  private running: Promise<void> | null = null;

  constructor(private readonly opts: PollerOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Run one round now (tests, or a user asking for a refresh). */
  async runOnce(): Promise<void> {
    this.running = this.opts.task().then(
      () => {
        this.failures = 0;
      },
      () => {
        this.failures++;
      },
    );
    await this.running;
    this.running = null;
    this.opts.afterRound?.();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      void this.runOnce().then(() => {
        if (!this.stopped) this.schedule(this.nextDelay());
      });
    }, delayMs);
    this.timer.unref();
  }

  /** The wait before the next round: the interval, doubled per failure in a row up to the cap. */
  nextDelay(): number {
    if (this.failures === 0) return this.opts.intervalMs;
    return Math.min(this.opts.maxBackoffMs, this.opts.intervalMs * 2 ** Math.min(this.failures, 10));
  }
}
