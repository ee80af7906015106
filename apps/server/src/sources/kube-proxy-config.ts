import { backoffDelay } from './backoff.js';
import type { BackoffPolicy } from './backoff.js';
import { describeKubeFailure } from './kube-errors.js';
import { parseProxyConfigText } from './proxy-config-text.js';
import type { Scheduler } from './scheduler.js';
import type { ChangeEvent, ResourceStatus } from './types.js';

export const KUBE_PROXY_CONFIGMAP = {
  namespace: 'kube-system',
  name: 'kube-proxy',
  key: 'config.conf',
} as const;

/** What reading kube-proxy's ConfigMap found: its `config.conf` text, or nothing. */
export type ConfigMapRead = { found: false } | { found: true; text: string | undefined };

export interface KubeProxyConfigPollerOptions {
  /** Reads the ConfigMap; rejects with client-node's error (404 is `found: false`, not an error). */
  read: () => Promise<ConfigMapRead>;
  pollMs: number;
  now: () => Date;
  schedule: Scheduler;
  random: () => number;
  backoff: BackoffPolicy;
  onChange: (ev: ChangeEvent) => void;
  onStatus: () => void;
}

/**
 * Polls kube-proxy's ConfigMap (kube-system/kube-proxy, key config.conf). It changes rarely, so a
 * poll is enough and needs only `get` on one ConfigMap. Absent is normal (kube-proxy's defaults
 * then apply); a failed read keeps the last good configuration and retries sooner, with backoff.
 */
export class KubeProxyConfigPoller {
  status: ResourceStatus = { state: 'syncing', count: 0 };
  config: Record<string, unknown> | undefined;
  private lastText: string | undefined;
  private present = false;
  private everRead = false;
  private failures = 0;
  private cancelNext: (() => void) | undefined;
  private stopped = true;

  constructor(private readonly opts: KubeProxyConfigPollerOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.poll();
  }

  stop(): void {
    this.stopped = true;
    this.cancelNext?.();
    this.cancelNext = undefined;
  }

  private async poll(): Promise<void> {
    let read: ConfigMapRead;
    try {
      read = await this.opts.read();
    } catch (err) {
      if (!this.stopped) this.failed(err);
      return;
    }
    if (this.stopped) return;
    this.failures = 0;
    this.apply(read);
    this.scheduleNext(this.opts.pollMs);
  }

  private apply(read: ConfigMapRead): void {
    const at = this.opts.now().toISOString();
    const ref = {
      kind: 'config',
      namespace: KUBE_PROXY_CONFIGMAP.namespace,
      name: KUBE_PROXY_CONFIGMAP.name,
    } as const;
    if (!read.found || read.text === undefined) {
      const wasPresent = this.present;
      this.present = false;
      this.lastText = undefined;
      this.config = undefined;
      const what = read.found ? `no ${KUBE_PROXY_CONFIGMAP.key} key` : 'not found';
      this.setStatus({ state: 'ready', message: `${what}: defaults used`, lastSyncedAt: at, count: 0 });
      if (wasPresent) this.opts.onChange({ ...ref, type: 'delete' });
      this.everRead = true;
      return;
    }
    const changed = read.text !== this.lastText;
    const parsed = parseProxyConfigText(read.text);
    if (!parsed.ok) {
      // Keep whatever parsed before; the message says why the new text is not used.
      this.setStatus({
        state: 'error',
        message: `${KUBE_PROXY_CONFIGMAP.namespace}/${KUBE_PROXY_CONFIGMAP.name} ${KUBE_PROXY_CONFIGMAP.key}: ${parsed.error}`,
        lastSyncedAt: at,
        count: this.config ? 1 : 0,
      });
      this.lastText = read.text;
      return;
    }
    const type = this.present ? 'update' : 'add';
    this.present = true;
    this.lastText = read.text;
    this.config = parsed.config;
    this.everRead = true;
    this.setStatus({ state: 'ready', lastSyncedAt: at, count: 1 });
    if (changed) this.opts.onChange({ ...ref, type });
  }

  private failed(err: unknown): void {
    const failure = describeKubeFailure(err);
    const forbidden = failure.httpStatus === 403;
    this.setStatus({
      state: forbidden ? 'forbidden' : this.everRead ? 'stale' : 'error',
      message: failure.message,
      ...(this.status.lastSyncedAt !== undefined ? { lastSyncedAt: this.status.lastSyncedAt } : {}),
      count: this.config ? 1 : 0,
    });
    const retry = Math.min(
      this.opts.pollMs,
      backoffDelay(this.failures, this.opts.backoff, this.opts.random),
    );
    this.failures++;
    this.scheduleNext(retry);
  }

  private scheduleNext(ms: number): void {
    if (this.stopped) return;
    this.cancelNext?.();
    this.cancelNext = this.opts.schedule(() => {
      this.cancelNext = undefined;
      if (!this.stopped) void this.poll();
    }, ms);
  }

  private setStatus(next: ResourceStatus): void {
    this.status = next;
    this.opts.onStatus();
  }
}
