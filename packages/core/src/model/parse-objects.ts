// Reading `kubectl get … -o json` output (a v1 List, any object with `items`, an array, or
// single objects) into a ClusterState. Never throws: problems become ParseIssues with a JSON path.
import { issue } from '../common/issues.js';
import type { ParseIssue } from '../common/issues.js';
import type { ClusterState, EndpointSlice, Node, Pod, Service } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

/** Checks shared by every kind: metadata.name must be a string. */
function checkMeta(o: Obj, path: string, issues: ParseIssue[]): boolean {
  const meta = o['metadata'];
  if (!isObj(meta) || typeof meta['name'] !== 'string' || meta['name'] === '') {
    issues.push(
      issue('error', null, `${String(o['kind'])} without metadata.name; skipped`, `${path}.metadata`),
    );
    return false;
  }
  return true;
}

function validService(o: Obj, path: string, issues: ParseIssue[]): o is Obj & Service {
  if (!checkMeta(o, path, issues)) return false;
  const spec = o['spec'];
  if (!isObj(spec)) {
    issues.push(issue('error', null, 'Service without spec; skipped', `${path}.spec`));
    return false;
  }
  const ports = spec['ports'];
  if (ports !== undefined && ports !== null) {
    if (!Array.isArray(ports)) {
      issues.push(issue('error', null, 'spec.ports is not a list; skipped', `${path}.spec.ports`));
      return false;
    }
    for (const [i, p] of ports.entries()) {
      if (!isObj(p) || typeof p['port'] !== 'number' || !Number.isInteger(p['port'])) {
        issues.push(
          issue('error', null, 'service port without an integer port; skipped', `${path}.spec.ports[${i}]`),
        );
        return false;
      }
      if (p['protocol'] !== undefined && !PROTOCOLS.has(String(p['protocol']))) {
        issues.push(
          issue(
            'error',
            null,
            `unknown protocol ${String(p['protocol'])}; skipped`,
            `${path}.spec.ports[${i}].protocol`,
          ),
        );
        return false;
      }
    }
  }
  return true;
}

function validSlice(o: Obj, path: string, issues: ParseIssue[]): o is Obj & EndpointSlice {
  if (!checkMeta(o, path, issues)) return false;
  const at = o['addressType'];
  if (at !== 'IPv4' && at !== 'IPv6' && at !== 'FQDN') {
    issues.push(
      issue(
        'error',
        null,
        `EndpointSlice addressType ${JSON.stringify(at)} is not IPv4, IPv6 or FQDN; skipped`,
        `${path}.addressType`,
      ),
    );
    return false;
  }
  const eps = o['endpoints'];
  if (eps !== undefined && eps !== null) {
    if (!Array.isArray(eps)) {
      issues.push(issue('error', null, 'endpoints is not a list; skipped', `${path}.endpoints`));
      return false;
    }
    for (const [i, e] of eps.entries()) {
      if (
        !isObj(e) ||
        !Array.isArray(e['addresses']) ||
        !e['addresses'].every((a) => typeof a === 'string')
      ) {
        issues.push(
          issue('error', null, 'endpoint without an addresses list; skipped', `${path}.endpoints[${i}]`),
        );
        return false;
      }
    }
  }
  const ports = o['ports'];
  if (ports !== undefined && ports !== null && !Array.isArray(ports)) {
    issues.push(issue('error', null, 'ports is not a list; skipped', `${path}.ports`));
    return false;
  }
  if (isObj(o['metadata']) && !isObj((o['metadata'] as Obj)['labels'])) {
    issues.push(
      issue(
        'warning',
        null,
        'EndpointSlice without labels: kube-proxy cannot tie it to a Service',
        `${path}.metadata.labels`,
      ),
    );
  }
  return true;
}

const validPod = (o: Obj, path: string, issues: ParseIssue[]): o is Obj & Pod => checkMeta(o, path, issues);
const validNode = (o: Obj, path: string, issues: ParseIssue[]): o is Obj & Node => checkMeta(o, path, issues);

/**
 * Collects Services, EndpointSlices, Pods and Nodes from parsed JSON. Lists may nest (a List of
 * Lists); unknown kinds are skipped with a warning, invalid objects with an error naming their path.
 */
export function parseKubeObjects(input: unknown): { state: ClusterState; issues: ParseIssue[] } {
  const state: ClusterState = { services: [], endpointSlices: [], pods: [], nodes: [] };
  const issues: ParseIssue[] = [];
  const skippedKinds = new Map<string, number>();

  const visit = (v: unknown, path: string, depth: number): void => {
    if (depth > 8) {
      issues.push(issue('error', null, 'lists nested too deeply; ignored', path));
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${path}[${i}]`, depth + 1));
      return;
    }
    if (!isObj(v)) {
      issues.push(
        issue('error', null, `expected an object, got ${v === null ? 'null' : typeof v}`, path || '$'),
      );
      return;
    }
    const kind = v['kind'];
    if (
      Array.isArray(v['items']) &&
      (kind === undefined || (typeof kind === 'string' && kind.endsWith('List')))
    ) {
      visit(v['items'], path === '' ? 'items' : `${path}.items`, depth + 1);
      return;
    }
    const here = path || '$';
    switch (kind) {
      case 'Service':
        if (validService(v, here, issues)) state.services.push(v);
        return;
      case 'EndpointSlice':
        if (validSlice(v, here, issues)) state.endpointSlices.push(v);
        return;
      case 'Pod':
        if (validPod(v, here, issues)) state.pods.push(v);
        return;
      case 'Node':
        if (validNode(v, here, issues)) state.nodes.push(v);
        return;
      case undefined:
        issues.push(issue('error', null, 'object without kind; ignored', here));
        return;
      default:
        skippedKinds.set(String(kind), (skippedKinds.get(String(kind)) ?? 0) + 1);
        if ((skippedKinds.get(String(kind)) ?? 0) === 1) {
          issues.push(issue('warning', null, `kind ${String(kind)} is not used; ignored`, here));
        }
    }
  };
  visit(input, '', 0);
  return { state, issues };
}
