import { Watch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { backoffDelay } from './backoff.js';
import type { BackoffPolicy } from './backoff.js';
import { cancellableSleep } from './scheduler.js';
import type { Scheduler } from './scheduler.js';

type WatchCallback = Parameters<Watch['watch']>[2];
type WatchDone = Parameters<Watch['watch']>[3];
type WatchParams = Parameters<Watch['watch']>[1];

export interface PacedWatchOptions {
  now: () => Date;
  schedule: Scheduler;
  random: () => number;
  backoff: BackoffPolicy;
  /** A watch that ends sooner than this without any event counts as failed (client-go: 1 s). */
  minHealthyWatchMs: number;
  /** Server-side watch timeout; default 5–10 minutes, spread as client-go does. */
  timeoutSeconds?: number;
  /** Applied to the object of every ADDED, MODIFIED and DELETED event before the informer sees it. */
  transform?: (obj: KubernetesObject) => KubernetesObject;
  /** Called with the object of an ERROR event (a Status), for the status message. */
  onErrorEvent?: (status: unknown) => void;
  /** Called for every other event (ADDED, MODIFIED, DELETED, BOOKMARK): the watch is working. */
  onEvent?: () => void;
}

/**
 * client-node 1.4.0's ListWatch (cache.js) relists on 410 and, when a watch ends without an
 * error, reconnects at once with no delay and no watch timeout. That is right after a long,
 * healthy watch, but a watch that keeps ending immediately (an ERROR event other than 410, a
 * proxy closing streams) becomes a tight reconnect loop, and a half-open connection is never
 * noticed. This Watch adds what is missing, in the one place ListWatch lets us:
 * - a server-side `timeoutSeconds`, plus a client-side guard that ends a watch the server
 *   forgot, so that it is reopened from the last resourceVersion;
 * - `allowWatchBookmarks=true`, so resuming after a quiet period rarely hits 410;
 * - capped backoff before reopening after a short or failed watch (never a watch storm).
 * Errors (`done(err)`) are left to the caller, which restarts the informer with its own backoff.
 */
export class PacedWatch extends Watch {
  private shortRuns = 0;
  private stopped = false;
  private cancelWait: (() => void) | undefined;

  constructor(
    config: KubeConfig,
    private readonly opts: PacedWatchOptions,
  ) {
    super(config);
  }

  /** Ends any pending wait; no new watch is opened afterwards. */
  stop(): void {
    this.stopped = true;
    this.cancelWait?.();
  }

  /** Allows watches again after `stop()`. */
  resume(): void {
    this.stopped = false;
  }

  override async watch(
    path: string,
    params: WatchParams,
    callback: WatchCallback,
    done: WatchDone,
  ): Promise<AbortController> {
    if (this.shortRuns > 0) {
      const wait = cancellableSleep(
        this.opts.schedule,
        backoffDelay(this.shortRuns - 1, this.opts.backoff, this.opts.random),
      );
      this.cancelWait = wait.cancel;
      await wait.done;
      this.cancelWait = undefined;
    }
    // A stopped informer gets a controller that is never used: ListWatch only aborts it.
    if (this.stopped) return new AbortController();

    const startedAt = this.opts.now().getTime();
    const timeoutSeconds = this.opts.timeoutSeconds ?? Math.round(300 * (1 + this.opts.random()));
    let events = 0;
    let sawError = false;
    let guardFired = false;
    let cancelGuard: () => void = () => undefined;

    const controller = await super.watch(
      path,
      { ...params, allowWatchBookmarks: true, timeoutSeconds },
      (phase, obj, watchObj) => {
        if (phase === 'ERROR') {
          sawError = true;
          this.opts.onErrorEvent?.(obj);
          callback(phase, obj, watchObj);
          return;
        }
        events++;
        this.opts.onEvent?.();
        const transform = this.opts.transform;
        callback(
          phase,
          transform && phase !== 'BOOKMARK' ? transform(obj as KubernetesObject) : obj,
          watchObj,
        );
      },
      (err: unknown) => {
        cancelGuard();
        if (guardFired) {
          // Our own abort of a silent watch: reopen from the last version, like a normal end.
          this.shortRuns = 0;
          done(null);
          return;
        }
        if (err) {
          this.shortRuns = 0;
        } else {
          const short =
            sawError || (events === 0 && this.opts.now().getTime() - startedAt < this.opts.minHealthyWatchMs);
          this.shortRuns = short ? this.shortRuns + 1 : 0;
        }
        done(err);
      },
    );
    if (!controller.signal.aborted) {
      cancelGuard = this.opts.schedule(
        () => {
          guardFired = true;
          controller.abort();
        },
        (timeoutSeconds + 30) * 1000,
      );
    }
    return controller;
  }
}
