import type { ServiceSummaryDto } from '@svcpath/core';

const ICON = { ok: '✓', warning: '!', error: '✕', info: 'i' } as const;
const TEXT = { ok: 'healthy', warning: 'warning', error: 'failing', info: 'info' } as const;

/** Health as icon + word + colour, so it reads without colour too. */
export function HealthBadge({
  health,
  reasons,
}: {
  health: ServiceSummaryDto['health'] | 'info';
  reasons?: string[];
}) {
  const title = reasons && reasons.length > 0 ? reasons.join('; ') : undefined;
  return (
    <span className={`badge ${health}`} title={title}>
      <span aria-hidden="true">{ICON[health]}</span>
      {TEXT[health]}
    </span>
  );
}

export function Badge({
  tone,
  icon,
  children,
}: {
  tone: 'ok' | 'warning' | 'error' | 'info' | 'neutral';
  icon?: string;
  children: string;
}) {
  return (
    <span className={`badge ${tone}`}>
      {icon && <span aria-hidden="true">{icon}</span>}
      {children}
    </span>
  );
}

/** A finding's severity, in words. */
export function SeverityBadge({ severity }: { severity: 'error' | 'warning' | 'info' }) {
  return (
    <span className={`badge ${severity}`}>
      <span aria-hidden="true">{ICON[severity]}</span>
      {severity}
    </span>
  );
}

/** A node's or an endpoint's readiness, in words. */
export function ReadyBadge({ ready }: { ready: boolean }) {
  return ready ? (
    <Badge tone="ok" icon="✓">
      ready
    </Badge>
  ) : (
    <Badge tone="error" icon="✕">
      not ready
    </Badge>
  );
}
