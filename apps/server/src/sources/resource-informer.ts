import { ListWatch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { backoffDelay } from './backoff.js';
import type { BackoffPolicy } from './backoff.js';
import { describeKubeFailure } from './kube-errors.js';
import { PacedWatch } from './paced-watch.js';
import type { Scheduler } from './scheduler.js';
import type { ChangeEvent, ResourceStatus } from './types.js';

export interface ResourceInformerOptions {
  kubeConfig: KubeConfig;
  /** API path of the list/watch, e.g. `/api/v1/services`. */
  path: string;
  /** Lists the resource; must return objects in their JSON (wire) form. */
  list: () => Promise<KubernetesListObject<KubernetesObject>>;
  changeKind: ChangeEvent['kind'];
  /** Reduces each object to what is kept in memory (listed and watched alike). */
  transform?: (obj: KubernetesObject) => KubernetesObject;
  now: () => Date;
  schedule: Scheduler;
  random: () => number;
  backoff: BackoffPolicy;
  minHealthyWatchMs: number;
  /** The restart backoff starts over only after the resource stayed healthy this long. */
  backoffResetMs: number;
  watchTimeoutSeconds?: number;
  onChange: (ev: ChangeEvent) => void;
  /** Called whenever `status` changed. */
  onStatus: () => void;
}

/**
 * One resource read through client-node's informer (ListWatch), plus what ListWatch lacks:
 * it stops for good on any error other than 410, so this restarts it with capped exponential
 * backoff (one restart in flight at most), keeping its last objects and resourceVersion so that
 * a restart resumes the watch where it stopped (or relists on 410, which ListWatch handles).
 */
export class ResourceInformer {
  status: ResourceStatus = { state: 'syncing', count: 0 };
  private readonly informer: ListWatch<KubernetesObject>;
  private readonly watch: PacedWatch;
  private everSynced = false;
  /** Objects in the cache, kept from add/delete events (ListWatch's list() copies them all). */
  private count = 0;
  private failures = 0;
  private healthySince: number | undefined;
  /** An ERROR event (other than 410) came and no good event since. */
  private watchFailing = false;
  private attemptInFlight = false;
  private attemptError: unknown = undefined;
  private cancelRestart: (() => void) | undefined;
  private stopped = true;

  constructor(private readonly opts: ResourceInformerOptions) {
    this.watch = new PacedWatch(opts.kubeConfig, {
      now: opts.now,
      schedule: opts.schedule,
      random: opts.random,
      backoff: opts.backoff,
      minHealthyWatchMs: opts.minHealthyWatchMs,
      ...(opts.watchTimeoutSeconds !== undefined ? { timeoutSeconds: opts.watchTimeoutSeconds } : {}),
      ...(opts.transform ? { transform: opts.transform } : {}),
      onErrorEvent: (status) => this.watchErrorEvent(status),
      onEvent: () => this.watchWorking(),
    });
    const transform = opts.transform;
    const list = transform
      ? async () => {
          const listed = await opts.list();
          return { ...listed, items: listed.items.map(transform) };
        }
      : opts.list;
    // ListWatch is what makeInformer builds; constructed directly to hand it the paced Watch.
    this.informer = new ListWatch(opts.path, this.watch, list, false);
    this.informer.on('add', (obj) => this.changed('add', obj));
    this.informer.on('update', (obj) => this.changed('update', obj));
    this.informer.on('delete', (obj) => this.changed('delete', obj));
    this.informer.on('error', (err: unknown) => this.errored(err));
  }

  /** Resolves when the first attempt (list + watch) succeeded or failed. */
  async start(): Promise<void> {
    this.stopped = false;
    this.watch.resume();
    await this.attempt();
  }

  stop(): void {
    this.stopped = true;
    this.cancelRestart?.();
    this.cancelRestart = undefined;
    this.watch.stop();
    void this.informer.stop();
  }

  objects(): readonly KubernetesObject[] {
    return this.informer.list();
  }

  private async attempt(): Promise<void> {
    this.attemptInFlight = true;
    this.attemptError = undefined;
    try {
      await this.informer.start();
    } catch (err) {
      this.attemptError ??= err;
    }
    this.attemptInFlight = false;
    if (this.stopped) return;
    if (this.attemptError !== undefined) this.fail(this.attemptError);
    else if (!this.watchFailing) this.synced(); // a failing watch stays stale until an event comes
  }

  private synced(): void {
    this.healthySince = this.opts.now().getTime();
    this.everSynced = true;
    this.setStatus({
      state: 'ready',
      lastSyncedAt: this.opts.now().toISOString(),
      count: this.count,
    });
  }

  private errored(err: unknown): void {
    if (this.stopped) return; // stopping aborts the watch, which ListWatch reports as an error
    if (this.attemptInFlight) {
      this.attemptError = err;
      return;
    }
    this.fail(err);
  }

  private fail(err: unknown): void {
    // A connection that keeps failing right after it succeeds must not reset the backoff.
    if (
      this.healthySince !== undefined &&
      this.opts.now().getTime() - this.healthySince >= this.opts.backoffResetMs
    ) {
      this.failures = 0;
    }
    this.healthySince = undefined;
    const failure = describeKubeFailure(err);
    const forbidden = failure.httpStatus === 403;
    const state: ResourceStatus['state'] = forbidden ? 'forbidden' : this.everSynced ? 'stale' : 'error';
    this.setStatus({
      state,
      message:
        this.everSynced && !forbidden ? `${failure.message} (showing last known objects)` : failure.message,
      ...(this.status.lastSyncedAt !== undefined ? { lastSyncedAt: this.status.lastSyncedAt } : {}),
      count: this.count,
    });
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.cancelRestart || this.attemptInFlight || this.stopped) return;
    const delay = backoffDelay(this.failures, this.opts.backoff, this.opts.random);
    this.failures++;
    this.cancelRestart = this.opts.schedule(() => {
      this.cancelRestart = undefined;
      if (!this.stopped) void this.attempt();
    }, delay);
  }

  /**
   * ListWatch ignores ERROR events other than 410 (it relists on 410) and reopens the watch when
   * the server closes it; the paced Watch spaces those reopenings. Meanwhile nothing is live, so
   * the data is shown as stale with the server's message until an event arrives again.
   */
  private watchErrorEvent(status: unknown): void {
    if (this.stopped || typeof status !== 'object' || status === null) return;
    const code = 'code' in status && typeof status.code === 'number' ? status.code : undefined;
    if (code === 410) return;
    const text = 'message' in status && typeof status.message === 'string' ? status.message : 'watch failed';
    this.watchFailing = true;
    this.setStatus({
      state: code === 403 ? 'forbidden' : 'stale',
      message: `watch: HTTP ${code ?? '?'}: ${text}${code === 403 ? '' : ' (showing last known objects)'}`,
      ...(this.status.lastSyncedAt !== undefined ? { lastSyncedAt: this.status.lastSyncedAt } : {}),
      count: this.count,
    });
  }

  private watchWorking(): void {
    if (!this.watchFailing || this.stopped) return;
    this.watchFailing = false;
    this.synced();
  }

  private changed(type: ChangeEvent['type'], obj: KubernetesObject): void {
    if (type === 'add') this.count++;
    else if (type === 'delete') this.count = Math.max(0, this.count - 1);
    const count = this.count;
    if (this.status.state === 'ready') {
      this.status = { ...this.status, count, lastSyncedAt: this.opts.now().toISOString() };
    } else {
      this.status = { ...this.status, count };
    }
    const namespace = obj.metadata?.namespace;
    this.opts.onChange({
      kind: this.opts.changeKind,
      type,
      ...(namespace ? { namespace } : {}),
      name: obj.metadata?.name ?? '',
    });
  }

  private setStatus(next: ResourceStatus): void {
    this.status = next;
    this.opts.onStatus();
  }
}
