/**
 * A Kubernetes API test double: a plain-HTTP server on 127.0.0.1 that serves lists and watches of
 * Services, EndpointSlices, Pods, Nodes and ConfigMaps from memory. It exists so that svcpath's
 * kube source can be tested through the real client library without a kube-apiserver; it is not
 * a cluster and implements only what those tests need (no auth, no writes over HTTP, no
 * selectors, no pagination).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  acceptUpgrade,
  chooseProtocol,
  execForbiddenStatus,
  parseExecPath,
  rejectUpgrade,
  sendResult,
} from './exec.js';
import type { ExecAnswer, ExecHandler } from './exec.js';
import { ObjectStore } from './store.js';
import type { HistoryEvent } from './store.js';
import { LIST_KINDS, objectKindOf, parseRoute } from './routes.js';
import {
  badRequestStatus,
  forbiddenStatus,
  goneStatus,
  notFoundStatus,
  pathNotFoundStatus,
  watchErrorStatus,
} from './status.js';
import type { StatusObject } from './status.js';
import type {
  DropWatchesOptions,
  RequestLogEntry,
  ResourceKind,
  StoredObject,
  TestApiServer,
  TestApiServerOptions,
  WatchEvent,
} from './types.js';

interface OpenWatch {
  kind: ResourceKind;
  namespace?: string;
  bookmarks: boolean;
  res: ServerResponse;
  timer?: NodeJS.Timeout;
}

const DEFAULT_HISTORY_LIMIT = 1000;

/** Starts the double on 127.0.0.1 with a random free port. */
export async function startTestApiServer(opts: TestApiServerOptions = {}): Promise<TestApiServer> {
  const store = new ObjectStore(opts.historyLimit ?? DEFAULT_HISTORY_LIMIT);
  const requests: RequestLogEntry[] = [];
  const watches = new Set<OpenWatch>();
  const sockets = new Set<Socket>();
  const forbidden = new Set<ResourceKind>();
  const watchErrors = new Map<ResourceKind, StatusObject>();
  const startedAt = Date.now();
  let latencyMs = 0;
  let down = false;
  const delays = new Set<() => void>();
  let execHandler: ExecHandler | undefined;

  // Latency waits end early when the double closes, so no timer outlives it.
  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        delays.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      delays.add(finish);
    });

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (socket) => {
    if (down) {
      // An unreachable API: the connection is reset before any answer.
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    void handleExec(req, socket);
  });

  /** `pods/{pod}/exec` over a websocket, answered by the test's exec handler. */
  async function handleExec(req: IncomingMessage, socket: Socket): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = parseExecPath(url.pathname);
    const entry: RequestLogEntry = {
      seq: requests.length + 1,
      atMs: Date.now() - startedAt,
      method: req.method ?? 'GET',
      path: url.pathname,
      watch: false,
      ...(route
        ? { kind: 'pods' as const, namespace: route.namespace, name: route.pod, subresource: 'exec' }
        : {}),
    };
    requests.push(entry);
    if (latencyMs > 0) await delay(latencyMs);
    if (socket.destroyed) return;
    const reject = (s: StatusObject): void => {
      entry.status = s.code;
      rejectUpgrade(socket, s.code, s.reason, s);
    };
    if (!route) return reject(pathNotFoundStatus(url.pathname));
    const pod = store.get('pods', route.namespace, route.pod);
    if (!pod) return reject(notFoundStatus('pods', route.pod));
    const spec = pod['spec'] as { containers?: Array<{ name?: string }> } | undefined;
    const containers = (spec?.containers ?? []).map((c) => c.name ?? '');
    const container = url.searchParams.get('container') ?? containers[0] ?? '';
    if (!containers.includes(container))
      return reject(badRequestStatus(`container ${container} is not valid for pod ${route.pod}`));
    const command = url.searchParams.getAll('command');
    const answer: ExecAnswer = execHandler
      ? await execHandler(route.namespace, route.pod, container, command)
      : { runtimeError: 'the test double has no exec handler' };
    if (socket.destroyed) return;
    if (answer === 'forbidden') return reject(execForbiddenStatus(route.namespace, route.pod));
    const protocol = chooseProtocol(req.headers['sec-websocket-protocol']);
    if (!protocol) return reject(badRequestStatus('no supported channel protocol (v5 or v4.channel.k8s.io)'));
    entry.status = 101;
    const ws = acceptUpgrade(req, socket, protocol);
    // A hanging command: the connection stays open, silent, until the client gives up.
    if (answer !== 'hang') sendResult(ws, answer, command);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = parseRoute(url.pathname);
    const isWatch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const rvParam = url.searchParams.get('resourceVersion') ?? undefined;
    const entry: RequestLogEntry = {
      seq: requests.length + 1,
      atMs: Date.now() - startedAt,
      method: req.method ?? 'GET',
      path: url.pathname,
      watch: isWatch,
      ...(rvParam !== undefined ? { resourceVersion: rvParam } : {}),
    };
    if (route.type === 'resource') {
      entry.kind = route.kind;
      if (route.namespace !== undefined) entry.namespace = route.namespace;
      if (route.name !== undefined) entry.name = route.name;
    }
    requests.push(entry);

    if (latencyMs > 0) await delay(latencyMs);
    if (res.destroyed) return;

    const send = (code: number, body: unknown): void => {
      entry.status = code;
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const sendStatus = (s: StatusObject): void => send(s.code, s);

    if (req.method !== 'GET') {
      send(405, {
        ...badRequestStatus('the test double is read-only over HTTP'),
        code: 405,
        reason: 'MethodNotAllowed',
      });
      return;
    }
    if (route.type === 'discovery') return send(200, route.body);
    if (route.type === 'unknown') return sendStatus(pathNotFoundStatus(url.pathname));

    const { kind, namespace, name } = route;
    if (forbidden.has(kind))
      return sendStatus(forbiddenStatus(kind, isWatch ? 'watch' : name ? 'get' : 'list', namespace));

    if (name !== undefined) {
      const obj = store.get(kind, namespace, name);
      return obj ? send(200, obj) : sendStatus(notFoundStatus(kind, name));
    }
    if (!isWatch) {
      return send(200, {
        ...LIST_KINDS[kind],
        metadata: { resourceVersion: String(store.currentRv()) },
        items: store.list(kind, namespace),
      });
    }
    startWatch(kind, namespace, url.searchParams, res, entry);
  }

  function startWatch(
    kind: ResourceKind,
    namespace: string | undefined,
    params: URLSearchParams,
    res: ServerResponse,
    entry: RequestLogEntry,
  ): void {
    const rvParam = params.get('resourceVersion') ?? '';
    const failure = watchErrors.get(kind);
    if (failure) {
      entry.status = 200;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: failure })}\n`);
      return;
    }
    let initial: WatchEvent[];
    if (rvParam === '' || rvParam === '0') {
      // No version: the current state as synthetic ADDED events, then live changes.
      initial = store.list(kind, namespace).map((object) => ({ type: 'ADDED', object }));
    } else {
      const fromRv = /^\d+$/.test(rvParam) ? Number(rvParam) : NaN;
      if (Number.isNaN(fromRv)) {
        entry.status = 400;
        const s = badRequestStatus(`invalid resource version: ${rvParam}`);
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(s));
        return;
      }
      const resumed = store.eventsSince(kind, fromRv, namespace);
      if (!resumed.ok) {
        // As the real API does: 200, one ERROR event carrying a 410 Status, then the end.
        entry.status = 200;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(`${JSON.stringify({ type: 'ERROR', object: goneStatus(rvParam, resumed.oldest) })}\n`);
        return;
      }
      initial = resumed.events.map(toWatchEvent);
    }

    entry.status = 200;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const watch: OpenWatch = {
      kind,
      bookmarks: params.get('allowWatchBookmarks') === 'true',
      res,
      ...(namespace !== undefined ? { namespace } : {}),
    };
    const timeoutSeconds = Number(params.get('timeoutSeconds') ?? '0');
    if (timeoutSeconds > 0) watch.timer = setTimeout(() => res.end(), timeoutSeconds * 1000);
    watches.add(watch);
    res.on('close', () => {
      if (watch.timer) clearTimeout(watch.timer);
      watches.delete(watch);
    });
    for (const ev of initial) writeEvent(watch, ev);
  }

  function writeEvent(watch: OpenWatch, ev: WatchEvent): void {
    if (!watch.res.writableEnded && !watch.res.destroyed) watch.res.write(`${JSON.stringify(ev)}\n`);
  }

  function toWatchEvent(ev: HistoryEvent): WatchEvent {
    return { type: ev.type, object: ev.object };
  }

  function broadcast(ev: HistoryEvent): void {
    for (const w of watches) {
      if (w.kind !== ev.kind) continue;
      if (w.namespace !== undefined && (ev.object.metadata.namespace ?? '') !== w.namespace) continue;
      writeEvent(w, toWatchEvent(ev));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    upsert(kind, obj) {
      const ev = store.upsert(kind, withTypeMeta(kind, obj));
      broadcast(ev);
      return String(ev.rv);
    },
    remove(kind, namespace, name) {
      const ev = store.remove(kind, namespace, name);
      if (!ev) return false;
      broadcast(ev);
      return true;
    },
    list: (kind) => store.list(kind),
    resourceVersion: () => String(store.currentRv()),
    dropWatches(dropOpts: DropWatchesOptions = {}) {
      const open = [...watches];
      for (const w of open) {
        watches.delete(w);
        if (dropOpts.graceful) w.res.end();
        else w.res.destroy();
      }
      return open.length;
    },
    openWatches: () => watches.size,
    expireHistory: () => store.expireHistory(),
    setForbidden(kind, isForbidden) {
      if (isForbidden) forbidden.add(kind);
      else forbidden.delete(kind);
    },
    setWatchError(kind, error) {
      if (error) watchErrors.set(kind, watchErrorStatus(error.code, error.message));
      else watchErrors.delete(kind);
    },
    setLatency(ms) {
      latencyMs = Math.max(0, ms);
    },
    setDown(isDown) {
      down = isDown;
      if (isDown) for (const s of sockets) s.destroy();
    },
    setExecHandler(handler) {
      execHandler = handler;
    },
    bookmark() {
      const rv = String(store.currentRv());
      for (const w of watches) {
        if (!w.bookmarks) continue;
        writeEvent(w, {
          type: 'BOOKMARK',
          object: { ...objectKindOf(w.kind), metadata: { resourceVersion: rv } },
        });
      }
    },
    clearRequests() {
      requests.length = 0;
    },
    async close() {
      down = true;
      for (const s of sockets) s.destroy();
      for (const finish of [...delays]) finish();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function withTypeMeta(kind: ResourceKind, obj: StoredObject): StoredObject {
  const typeMeta = objectKindOf(kind);
  return { ...obj, apiVersion: obj.apiVersion ?? typeMeta.apiVersion, kind: obj.kind ?? typeMeta.kind };
}
