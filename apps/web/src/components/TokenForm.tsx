import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { setToken } from '../api/auth.js';

/** Shown when the server answers 401: asks for the bearer token and retries everything. */
export function TokenForm({ onToken }: { onToken?: () => void }) {
  const [value, setValue] = useState('');
  const client = useQueryClient();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setToken(value.trim() || null);
    onToken?.();
    window.dispatchEvent(new Event('svcpath-token'));
    void client.invalidateQueries();
  };
  return (
    <form onSubmit={submit} className="toolbar" aria-label="Bearer token">
      <div className="field">
        <label htmlFor="token">Bearer token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          size={40}
        />
        <small>Kept in this tab only (sessionStorage) and sent as Authorization: Bearer.</small>
      </div>
      <button type="submit" className="primary">
        Use token
      </button>
    </form>
  );
}
