/**
 * The optional bearer token (servers started with --auth-token-file require one). It is kept
 * for this browser tab only, in sessionStorage, and sent on every API request.
 */
const KEY = 'svcpath.token';

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage can be disabled; the token then lasts until reload.
  }
  memory = token;
}

let memory: string | null = null;

export const authHeader = (): Record<string, string> => {
  const t = getToken() ?? memory;
  return t ? { authorization: `Bearer ${t}` } : {};
};
