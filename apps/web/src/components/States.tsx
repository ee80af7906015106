import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { TokenForm } from './TokenForm.js';

/** Loading, empty and error states that tell the reader what to do next. */

export function Loading({ what }: { what: string }) {
  return (
    <p className="state muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state" role="status">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

const hintFor = (e: unknown, what: string): string => {
  if (!(e instanceof ApiError)) return 'Reload the page; if it keeps failing, check the server log.';
  if (e.status === 0)
    return 'Start the server (`svcpath serve --demo`) or check the network; the page retries on its own.';
  if (e.status === 401 || e.status === 403)
    return 'The server requires a bearer token (or refused the one given): enter it below.';
  if (e.status === 404)
    return `The server does not know this ${what}. It may have been deleted; go back to the overview.`;
  if (e.status >= 500) return 'The server failed; its log says why. The page retries when data changes.';
  return 'Check the request and try again.';
};

export function ErrorState({ error, what, retry }: { error: unknown; what: string; retry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state error" role="alert">
      <h3>Could not load {what}</h3>
      <p>
        {error instanceof ApiError && error.status > 0 ? `${error.status}: ` : ''}
        {message}
      </p>
      <p>{hintFor(error, what)}</p>
      {error instanceof ApiError && error.status === 401 && <TokenForm />}
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
