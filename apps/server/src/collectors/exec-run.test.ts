import { describe, expect, it } from 'vitest';
import { execStatus } from '@svcpath/test-apiserver';
import { exitCodeOf, outcomeFromConnectError, outcomeFromStatus } from './exec-run.js';

const cmd = ['ipvsadm', '-S', '-n'];

describe('exec outcomes', () => {
  it('reads Success, a non-zero exit code and a missing binary from the status', () => {
    expect(outcomeFromStatus(execStatus({}, cmd), cmd, 'out', '')).toEqual({ ok: true, stdout: 'out' });
    const exit3 = execStatus({ exitCode: 3 }, cmd);
    expect(exitCodeOf(exit3)).toBe(3);
    expect(outcomeFromStatus(exit3, cmd, '', "Can't initialize ipvs: Protocol not available\n")).toEqual({
      ok: false,
      reason: 'exit',
      exitCode: 3,
      message: "ipvsadm -S -n exited with 3: Can't initialize ipvs: Protocol not available",
    });
    expect(outcomeFromStatus(execStatus({ exitCode: 127 }, cmd), cmd, '', '')).toMatchObject({
      reason: 'missing',
      message: 'ipvsadm is not in the kube-proxy container',
    });
    // containerd cannot start a binary that is not there: InternalError, no exit code.
    const runtime = execStatus(
      {
        runtimeError: 'OCI runtime exec failed: exec: "ipvsadm": executable file not found in $PATH: unknown',
      },
      cmd,
    );
    expect(outcomeFromStatus(runtime, cmd, '', '')).toMatchObject({ reason: 'missing' });
    expect(
      outcomeFromStatus(execStatus({ runtimeError: 'container is stopping' }, cmd), cmd, '', ''),
    ).toMatchObject({
      reason: 'error',
      message: expect.stringMatching(/container is stopping/),
    });
  });

  it('tells a 403 from an unreachable API', () => {
    expect(outcomeFromConnectError({ message: 'Unexpected server response: 403' })).toMatchObject({
      reason: 'forbidden',
    });
    expect(outcomeFromConnectError(new Error('Unexpected server response: 404'))).toMatchObject({
      reason: 'error',
    });
    expect(outcomeFromConnectError(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toMatchObject({
      reason: 'unreachable',
      message: 'cannot reach the API: connect ECONNREFUSED 127.0.0.1:1',
    });
  });
});
