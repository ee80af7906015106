/** The one place the web app talks HTTP. Every failure becomes an ApiError with the status. */
import { authHeader } from './auth.js';

export class ApiError extends Error {
  readonly status: number;
  /** The parsed JSON error body, when the server sent one. */
  readonly body: unknown;

  constructor(status: number, message: string, body: unknown = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

/** Status 0 means the request never reached the server (network down, server stopped). */
export const isNetworkError = (e: unknown): boolean => e instanceof ApiError && e.status === 0;

const messageFromBody = (body: unknown, fallback: string): string => {
  if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string')
    return body.error;
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string')
    return body.message;
  return fallback;
};

export interface FetchOptions {
  method?: 'GET' | 'POST' | 'PUT';
  body?: unknown;
  signal?: AbortSignal;
  /** Return the body as text instead of JSON. */
  text?: boolean;
}

export async function apiFetch<T>(path: string, options: FetchOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    accept: options.text ? 'text/plain' : 'application/json',
    ...authHeader(),
  };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method: options.method ?? 'GET', headers, body, signal: options.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The svcpath server cannot be reached. Is it running?');
  }
  const raw = await res.text();
  let parsed: unknown = raw;
  if (!options.text || !res.ok) {
    try {
      parsed = raw === '' ? null : JSON.parse(raw);
    } catch {
      if (!res.ok) parsed = raw;
      else throw new ApiError(res.status, `The server answered ${path} with something that is not JSON.`);
    }
  }
  if (!res.ok) {
    throw new ApiError(
      res.status,
      messageFromBody(parsed, `${res.status} ${res.statusText || 'error'} from ${path}`),
      parsed,
    );
  }
  return parsed as T;
}

/** Encode each path segment; names come from the cluster and may hold any character. */
export const apiPath = (...segments: Array<string | number>): string =>
  '/api/' + segments.map((s) => encodeURIComponent(String(s))).join('/');

export const withQuery = (
  path: string,
  query: Record<string, string | number | undefined | null>,
): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
};
