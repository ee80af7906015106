// Writes an IpvsState in `ipvsadm -S -n` form (what `ipvsadm -R` reads back).
import { joinHostPort } from '../common/ip.js';
import type { ForwardingMethod, IpvsState, RealServer, VirtualService } from './types.js';

const FORWARD_SWITCH: Record<ForwardingMethod, string> = {
  Masq: '-m',
  Route: '-g',
  Tunnel: '-i',
  Local: '-m',
};

function serviceSwitch(vs: VirtualService): string {
  if (vs.fwmark !== null || vs.protocol === null || vs.address === null) {
    return `-f ${vs.fwmark ?? 0}${vs.family === 6 ? ' -6' : ''}`;
  }
  const addr = joinHostPort(vs.address, vs.port ?? 0);
  if (vs.protocol === 'tcp') return `-t ${addr}`;
  if (vs.protocol === 'udp') return `-u ${addr}`;
  return `--sctp-service ${addr}`;
}

/** In ipvsadm's order: persistence and mask, then `pe` and `ops` (printed without dashes), then scheduler flags. */
export function formatServiceLine(vs: VirtualService): string {
  let s = `-A ${serviceSwitch(vs)} -s ${vs.scheduler}`;
  if (vs.persistenceTimeout !== null) {
    s += ` -p ${vs.persistenceTimeout}`;
    if (vs.netmask !== null) s += ` -M ${vs.netmask}`;
  }
  if (vs.persistenceEngine !== null) s += ` pe ${vs.persistenceEngine}`;
  if (vs.onePacket) s += ' ops';
  if (vs.schedulerFlags.length > 0) s += ` -b ${vs.schedulerFlags.join(',')}`;
  return s;
}

export function formatServerLine(vs: VirtualService, rs: RealServer): string {
  let s = `-a ${serviceSwitch(vs)} -r ${joinHostPort(rs.address, rs.port)} ${FORWARD_SWITCH[rs.forwarding]} -w ${rs.weight}`;
  if (rs.upperThreshold) s += ` -x ${rs.upperThreshold}`;
  if (rs.lowerThreshold) s += ` -y ${rs.lowerThreshold}`;
  return s;
}

/** `ipvsadm -S -n` text: each service followed by its real servers. */
export function formatIpvsadmSave(state: Pick<IpvsState, 'services'>): string {
  const out: string[] = [];
  for (const vs of state.services) {
    out.push(formatServiceLine(vs));
    for (const rs of vs.realServers) out.push(formatServerLine(vs, rs));
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
