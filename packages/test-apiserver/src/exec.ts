// `pods/{pod}/exec` over a websocket, as the API streams it: the `v5.channel.k8s.io` /
// `v4.channel.k8s.io` protocols, each binary message prefixed by its channel (1 stdout, 2 stderr,
// 3 status). What a command prints is decided by the test's exec handler, not by a container.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { StatusObject } from './status.js';
import { acceptKey, ServerWebSocket } from './websocket.js';

/** What the test's handler says a command did. */
export interface ExecResult {
  stdout?: string | Buffer;
  stderr?: string;
  /** 0 (default) is success; anything else is reported as NonZeroExitCode with an ExitCode cause. */
  exitCode?: number;
  /**
   * The runtime could not start the command (containerd: `executable file not found in $PATH`):
   * reported as an InternalError status with this message, and no exit code.
   */
  runtimeError?: string;
}

/** `forbidden`: 403 on the upgrade (no pods/exec). `hang`: connect, then never answer. */
export type ExecAnswer = ExecResult | 'forbidden' | 'hang';

export type ExecHandler = (
  namespace: string,
  pod: string,
  container: string,
  command: string[],
) => ExecAnswer | Promise<ExecAnswer>;

/** The channel protocols the double speaks, most preferred first (as the API picks them). */
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const CHANNEL_STDOUT = 1;
const CHANNEL_STDERR = 2;
const CHANNEL_STATUS = 3;
/** Output is sent in frames of this size, as a stream would be. */
const CHUNK = 32 * 1024;

export interface ExecRoute {
  namespace: string;
  pod: string;
}

export function parseExecPath(pathname: string): ExecRoute | null {
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(pathname);
  if (!m?.[1] || !m[2]) return null;
  return { namespace: decodeURIComponent(m[1]), pod: decodeURIComponent(m[2]) };
}

/** The status the API writes on channel 3 when the command ended. */
export function execStatus(result: ExecResult, command: string[]): Record<string, unknown> {
  if (result.runtimeError !== undefined)
    return {
      metadata: {},
      status: 'Failure',
      message: `Internal error occurred: error executing command in container: ${result.runtimeError}`,
      reason: 'InternalError',
      details: { causes: [{ message: `error executing command in container: ${result.runtimeError}` }] },
      code: 500,
    };
  const code = result.exitCode ?? 0;
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** The 403 the API answers without RBAC for `create` on `pods/exec`. */
export const execForbiddenStatus = (namespace: string, pod: string): StatusObject => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: `pods "${pod}" is forbidden: User "system:serviceaccount:svcpath:svcpath" cannot create resource "pods/exec" in API group "" in the namespace "${namespace}"`,
  reason: 'Forbidden',
  code: 403,
});

/** Picks the first protocol of ours the client offers; null when it offers none. */
export function chooseProtocol(header: string | undefined): string | null {
  const offered = (header ?? '').split(',').map((p) => p.trim());
  return PROTOCOLS.find((p) => offered.includes(p)) ?? null;
}

/** Answers an upgrade request that is not accepted, with a Status body. */
export function rejectUpgrade(socket: Socket, code: number, reasonPhrase: string, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${code} ${reasonPhrase}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** Completes the handshake; returns the open connection. */
export function acceptUpgrade(req: IncomingMessage, socket: Socket, protocol: string): ServerWebSocket {
  const key = req.headers['sec-websocket-key'];
  socket.write(
    [
      'HTTP/1.1 101 Switching Protocols',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Accept: ${acceptKey(typeof key === 'string' ? key : '')}`,
      `Sec-WebSocket-Protocol: ${protocol}`,
      '',
      '',
    ].join('\r\n'),
  );
  return new ServerWebSocket(socket);
}

/** Streams a result: stdout, stderr, the status on channel 3, then a normal close. */
export function sendResult(ws: ServerWebSocket, result: ExecResult, command: string[]): void {
  const send = (channel: number, data: Buffer): void => {
    for (let at = 0; at < data.length; at += CHUNK)
      ws.sendBinary(Buffer.concat([Buffer.from([channel]), data.subarray(at, at + CHUNK)]));
  };
  if (result.stdout !== undefined) send(CHANNEL_STDOUT, Buffer.from(result.stdout));
  if (result.stderr !== undefined) send(CHANNEL_STDERR, Buffer.from(result.stderr));
  send(CHANNEL_STATUS, Buffer.from(JSON.stringify(execStatus(result, command))));
  ws.close();
}
