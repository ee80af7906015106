import { joinHostPort } from '../../common/ip.js';
import type { RealServer } from '../types.js';

/**
 * IP_VS_DEST_F_OVERLOAD: set while a server with an upper threshold (`-x`) has at least that many
 * connections (active + inactive). Unknown counts are taken as not overloaded.
 */
export function isOverloaded(rs: RealServer): boolean {
  if (!rs.upperThreshold) return false;
  if (rs.activeConns === null || rs.inactConns === null) return false;
  return rs.activeConns + rs.inactConns >= rs.upperThreshold;
}

/** The kernel's `is_unavailable()`: weight 0 (quiesced, draining) or overloaded. */
export const isUnavailable = (rs: RealServer): boolean => rs.weight <= 0 || isOverloaded(rs);

export const serverLabel = (rs: RealServer): string => joinHostPort(rs.address, rs.port);

/** Said wherever the answer depends on the kernel's server order, which dumps do not show reliably. */
export const ORDER_CAVEAT =
  'computed with the servers in dump order; the kernel keeps them newest-first and ipvsadm sorts them unless --nosort, so the exact server may differ while the shares hold';
