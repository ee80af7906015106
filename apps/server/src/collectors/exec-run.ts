// One command in one container through client-node's Exec (a websocket to pods/{pod}/exec),
// with a timeout and a cap on the output. Every way it can end becomes an outcome, never a throw.
import { Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';

export interface ExecTarget {
  namespace: string;
  pod: string;
  container: string;
}

export interface ExecLimits {
  timeoutMs: number;
  /** Largest stdout kept; more ends the exec. */
  maxBytes: number;
}

export type ExecFailure =
  /** 403: no RBAC for pods/exec. */
  | 'forbidden'
  /** The binary is not in the container (exit 127, or the runtime could not find it). */
  | 'missing'
  /** The command ran and exited non-zero. */
  | 'exit'
  | 'timeout'
  | 'too-large'
  /** The API could not be reached or did not accept the websocket. */
  | 'unreachable'
  | 'error';

export type ExecOutcome =
  { ok: true; stdout: string } | { ok: false; reason: ExecFailure; message: string; exitCode?: number };

export type ExecRunner = (target: ExecTarget, command: string[], limits: ExecLimits) => Promise<ExecOutcome>;

/** What client-node hands back: a `ws` WebSocket (typed loosely by client-node). */
interface ExecSocket {
  once(event: 'close', listener: () => void): unknown;
  terminate(): void;
}

const STDERR_KEEP = 4096;

const firstLine = (text: string): string => text.trim().split('\n')[0]?.trim() ?? '';

/** The exit code in a NonZeroExitCode status (`details.causes[{ reason: ExitCode }]`). */
export function exitCodeOf(status: V1Status): number | null {
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = cause?.message !== undefined ? Number(cause.message) : NaN;
  return Number.isInteger(code) ? code : null;
}

const NOT_FOUND = /executable file not found|no such file or directory|not found in \$PATH/i;

/** Turns the status the API sent on channel 3 into an outcome. */
export function outcomeFromStatus(
  status: V1Status,
  command: string[],
  stdout: string,
  stderr: string,
): ExecOutcome {
  if (status.status === 'Success') return { ok: true, stdout };
  const bin = command[0] ?? '';
  const code = exitCodeOf(status);
  const detail = firstLine(stderr) || firstLine(status.message ?? '');
  if (code === 127 || code === 126 || (code === null && NOT_FOUND.test(status.message ?? '')))
    return {
      ok: false,
      reason: 'missing',
      message: `${bin} is not in the kube-proxy container`,
      ...(code !== null ? { exitCode: code } : {}),
    };
  if (code !== null)
    return {
      ok: false,
      reason: 'exit',
      message: `${command.join(' ')} exited with ${code}${detail ? `: ${detail}` : ''}`,
      exitCode: code,
    };
  return {
    ok: false,
    reason: 'error',
    message: `${command.join(' ')} failed: ${detail || 'no reason given'}`,
  };
}

/** Turns a failed websocket connect (client-node rejects with ws's ErrorEvent) into an outcome. */
export function outcomeFromConnectError(err: unknown): ExecOutcome {
  const message =
    err instanceof Error
      ? err.message
      : typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string'
        ? (err as { message: string }).message
        : String(err);
  const http = /Unexpected server response: (\d+)/.exec(message)?.[1];
  if (http === '403') return { ok: false, reason: 'forbidden', message: 'forbidden (403)' };
  if (http === '404') return { ok: false, reason: 'error', message: 'the pod is gone (404)' };
  if (http !== undefined) return { ok: false, reason: 'error', message: `the API answered ${http}` };
  return { ok: false, reason: 'unreachable', message: `cannot reach the API: ${message}` };
}

/** An ExecRunner over client-node's Exec with this configuration. */
export function kubeExecRunner(kubeConfig: KubeConfig): ExecRunner {
  const exec = new Exec(kubeConfig);
  return (target, command, limits) =>
    new Promise<ExecOutcome>((resolve) => {
      const out: Buffer[] = [];
      let outBytes = 0;
      let err = '';
      let status: V1Status | null = null;
      let socket: ExecSocket | null = null;
      let done = false;
      const finish = (outcome: ExecOutcome): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket?.terminate();
        resolve(outcome);
      };
      const timer = setTimeout(
        () =>
          finish({
            ok: false,
            reason: 'timeout',
            message: `${command.join(' ')} timed out after ${limits.timeoutMs} ms`,
          }),
        limits.timeoutMs,
      );
      timer.unref();
      const stdout = new Writable({
        write(chunk: Buffer, _enc, cb) {
          outBytes += chunk.length;
          if (outBytes > limits.maxBytes)
            finish({
              ok: false,
              reason: 'too-large',
              message: `${command.join(' ')} printed more than the dump limit of ${limits.maxBytes} bytes`,
            });
          else out.push(chunk);
          cb();
        },
      });
      const stderr = new Writable({
        write(chunk: Buffer, _enc, cb) {
          if (err.length < STDERR_KEEP) err += chunk.toString('utf8').slice(0, STDERR_KEEP - err.length);
          cb();
        },
      });
      // A frame after the end (a misbehaving API) must not become an unhandled 'error' event.
      stdout.on('error', () => undefined);
      stderr.on('error', () => undefined);
      const onClose = (): void => {
        if (status === null) {
          finish({
            ok: false,
            reason: 'error',
            message: `${command.join(' ')}: the connection closed before the command finished`,
          });
          return;
        }
        finish(outcomeFromStatus(status, command, Buffer.concat(out).toString('utf8'), err));
      };
      exec
        .exec(target.namespace, target.pod, target.container, command, stdout, stderr, null, false, (s) => {
          status = s;
        })
        .then(
          (ws: ExecSocket) => {
            socket = ws;
            if (done) ws.terminate();
            else ws.once('close', onClose);
          },
          (e: unknown) => finish(outcomeFromConnectError(e)),
        );
    });
}
