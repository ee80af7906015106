import { describe, it, expect } from 'vitest';
import { ApiException } from '@kubernetes/client-node';
import { describeKubeFailure } from './kube-errors.js';

describe('describeKubeFailure', () => {
  it('reads the Status message of an ApiException (body as object or JSON text)', () => {
    const status = {
      kind: 'Status',
      code: 403,
      message: 'pods is forbidden: User "x" cannot list resource "pods"',
    };
    expect(describeKubeFailure(new ApiException(403, 'Unsuccessful HTTP Request', status, {}))).toEqual({
      httpStatus: 403,
      message: 'HTTP 403: pods is forbidden: User "x" cannot list resource "pods"',
    });
    expect(
      describeKubeFailure(new ApiException(500, 'Unsuccessful HTTP Request', JSON.stringify(status), {}))
        .message,
    ).toBe('HTTP 500: pods is forbidden: User "x" cannot list resource "pods"');
  });

  it('reads watch errors (statusCode and status text)', () => {
    const err = Object.assign(new Error('Forbidden'), { statusCode: 403 });
    expect(describeKubeFailure(err)).toEqual({ httpStatus: 403, message: 'HTTP 403: Forbidden' });
  });

  it('calls network errors unreachable, with their code', () => {
    const err = Object.assign(
      new Error('request to http://127.0.0.1:1/api/v1/pods failed, reason: connect'),
      { code: 'ECONNREFUSED' },
    );
    expect(describeKubeFailure(err)).toEqual({
      message:
        'API unreachable: ECONNREFUSED: request to http://127.0.0.1:1/api/v1/pods failed, reason: connect',
    });
    expect(describeKubeFailure('boom')).toEqual({ message: 'boom' });
  });
});
