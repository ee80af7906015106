import type { DumpErrorDto, DumpKind } from '@svcpath/core';
import { authHeader } from './auth.js';
import { ApiError, apiPath } from './client.js';

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * PUT a dump with XMLHttpRequest, because fetch cannot report upload progress.
 * Rejects with ApiError: 422 carries `{ error, line }`, 413 means too large.
 */
export function uploadDump(
  node: string,
  kind: DumpKind,
  text: string | Blob,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', apiPath('nodes', node, 'dumps', kind));
    xhr.setRequestHeader('content-type', 'text/plain');
    for (const [k, v] of Object.entries(authHeader())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : 0 });
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // keep the raw text
      }
      reject(new ApiError(xhr.status, uploadErrorMessage(xhr.status, body), body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'The upload did not reach the server. Is it running?'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(text);
  });
}

export const dumpErrorOf = (e: unknown): DumpErrorDto | null => {
  if (!(e instanceof ApiError) || e.status !== 422) return null;
  const b = e.body;
  if (b && typeof b === 'object' && 'error' in b && typeof b.error === 'string') {
    const line = 'line' in b && typeof b.line === 'number' ? b.line : null;
    return { error: b.error, line };
  }
  return { error: e.message, line: null };
};

function uploadErrorMessage(status: number, body: unknown): string {
  if (status === 413)
    return 'The dump is too large for the server’s body limit. Upload only the tables kube-proxy uses, or raise the limit.';
  if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string')
    return body.error;
  return `Upload failed with status ${status}.`;
}
