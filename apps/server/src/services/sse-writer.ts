// A small Server-Sent Events writer over a raw Node response: numbered events, heartbeat
// comments so proxies keep the connection open, and a cap on what a slow client may buffer.
import type { ServerResponse } from 'node:http';

/** A client that has this much unread is dropped: it would only fall further behind. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export class SseWriter {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly heartbeatMs: number,
  ) {}

  open(headers: Record<string, string | number | string[]>): void {
    this.res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.res.flushHeaders();
    // Reconnect quickly after a dropped connection.
    this.write('retry: 3000\n\n');
    this.scheduleHeartbeat();
  }

  event(id: number, name: string, data: unknown): void {
    this.write(`id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  comment(text: string): void {
    this.write(`: ${text.replace(/\n/g, ' ')}\n\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.res.end();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private write(chunk: string): void {
    if (this.closed || this.res.destroyed) return;
    if (this.res.writableLength > MAX_BUFFERED_BYTES) {
      this.closed = true;
      if (this.timer) clearTimeout(this.timer);
      this.res.destroy();
      return;
    }
    this.res.write(chunk);
  }

  private scheduleHeartbeat(): void {
    this.timer = setTimeout(() => {
      this.comment('heartbeat');
      if (!this.closed) this.scheduleHeartbeat();
    }, this.heartbeatMs);
    this.timer.unref();
  }
}
