import type { ResourceKind } from './types.js';

/** A `metav1.Status` failure, as the API answers errors and as watch ERROR events carry. */
export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
}

function status(code: number, reason: string, message: string): StatusObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export const goneStatus = (requested: string, oldest: number): StatusObject =>
  status(410, 'Expired', `too old resource version: ${requested} (${oldest})`);

export const forbiddenStatus = (kind: ResourceKind, verb: string, namespace?: string): StatusObject =>
  status(
    403,
    'Forbidden',
    `${kind} is forbidden: User "system:serviceaccount:svcpath:svcpath" cannot ${verb} resource "${kind}" in API group "${
      kind === 'endpointslices' ? 'discovery.k8s.io' : ''
    }" ${namespace ? `in the namespace "${namespace}"` : 'at the cluster scope'}`,
  );

export const notFoundStatus = (kind: ResourceKind, name: string): StatusObject =>
  status(404, 'NotFound', `${kind} "${name}" not found`);

export const badRequestStatus = (message: string): StatusObject => status(400, 'BadRequest', message);

export const pathNotFoundStatus = (path: string): StatusObject =>
  status(404, 'NotFound', `the server could not find the requested resource (${path})`);

export const watchErrorStatus = (code: number, message = 'internal error'): StatusObject =>
  status(code, code === 403 ? 'Forbidden' : code === 504 ? 'Timeout' : 'InternalError', message);
