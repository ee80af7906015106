import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet } from 'react-router-dom';
import { useLiveUpdates } from './api/useLiveUpdates.js';
import { useStatus } from './api/hooks.js';
import { HelpPanel } from './components/HelpPanel.js';
import { LiveIndicator } from './components/LiveIndicator.js';
import { Badge } from './components/HealthBadge.js';

/** The shell: navigation, live-update state, source health and the help panel. */
export function App() {
  // A newly entered bearer token reopens the live-update stream with it.
  const [tokenVersion, setTokenVersion] = useState(0);
  useEffect(() => {
    const bump = () => setTokenVersion((v) => v + 1);
    window.addEventListener('svcpath-token', bump);
    return () => window.removeEventListener('svcpath-token', bump);
  }, []);
  const live = useLiveUpdates('/api/events', tokenVersion);
  const status = useStatus();
  const [helpOpen, setHelpOpen] = useState(false);

  // "?" opens help from anywhere except while typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target;
      if (
        e.key === '?' &&
        !(t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement)
      )
        setHelpOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const s = status.data;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          svcpath
        </Link>
        <nav className="app-nav" aria-label="Main">
          <NavLink to="/" end>
            Overview
          </NavLink>
          <NavLink to="/trace">Trace</NavLink>
          <NavLink to="/diagnostics">Diagnostics</NavLink>
        </nav>
        <div className="header-right">
          {s && (
            <span title={`Cluster source: ${s.kind} (${s.name})`}>
              <span className="muted">{s.kind === 'demo' ? 'demo' : s.kind}: </span>
              {s.name}{' '}
              <Badge
                tone={s.state === 'ready' ? 'ok' : s.state === 'error' ? 'error' : 'warning'}
                icon={s.state === 'ready' ? '✓' : s.state === 'error' ? '✕' : '!'}
              >
                {s.state}
              </Badge>
            </span>
          )}
          <LiveIndicator state={live} />
          <button
            type="button"
            onClick={() => setHelpOpen(true)}
            aria-haspopup="dialog"
            title="Help and legend (?)"
          >
            Help &amp; legend
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <HelpPanel open={helpOpen} onClose={() => setHelpOpen(false)} />
    </>
  );
}
