// Turning a conformance case into svcpath inputs: objects, ProxySettings and generator options.
import { generateIptables, generateIptablesSync } from '../iptables/generate.js';
import type { GenerateIptablesOptions, GenerateIptablesResult } from '../iptables/generate.js';
import { defaultProxySettings } from '../model/proxy-config.js';
import type { EndpointSlice, ProxySettings, Service } from '../model/types.js';
import type {
  ConformanceCase,
  ConformanceLocalDetector,
  ConformanceProxierConfig,
  ConformanceVariant,
} from './types.js';

export interface CaseInputs {
  services: Service[];
  endpointSlices: EndpointSlice[];
  settings: ProxySettings;
  family: 4 | 6;
  /** Options reproducing kube-proxy's fake iptables proxier (mark 0x4000, counters, no --random-fully). */
  iptablesOptions: GenerateIptablesOptions;
}

/** The objects in effect at `phaseIndex` (phases list the full set after each step; 'unchanged' keeps the previous). */
export function caseObjects(
  c: ConformanceCase,
  phaseIndex?: number,
): { services: Service[]; endpointSlices: EndpointSlice[] } {
  let services = c.services;
  let endpointSlices = c.endpointSlices;
  if (phaseIndex !== undefined) {
    for (const p of (c.phases ?? []).slice(0, phaseIndex + 1)) {
      if (p.services !== 'unchanged') services = p.services;
      if (p.endpointSlices !== 'unchanged') endpointSlices = p.endpointSlices;
    }
  }
  return { services, endpointSlices };
}

function settingsFor(
  c: ConformanceCase,
  cfg: ConformanceProxierConfig,
  detector: ConformanceLocalDetector,
  family: 4 | 6,
): ProxySettings {
  const s = defaultProxySettings(c.nodeName, c.nodeIPs);
  s.mode = c.mode;
  // The primary node IP of the family goes first.
  if (cfg.primaryNodeIP !== undefined)
    s.nodeIPs = [cfg.primaryNodeIP, ...c.nodeIPs.filter((ip) => ip !== cfg.primaryNodeIP)];
  if (family === 6) {
    const v6 = c.nodeIPs.filter((ip) => ip.includes(':'));
    s.nodeIPs = [...v6, ...c.nodeIPs.filter((ip) => !ip.includes(':'))];
  }
  const cidr = detector.clusterCIDR ?? null;
  if (detector.mode === 'ClusterCIDR' && cidr) {
    s.clusterCIDRs = [cidr];
    s.detectLocalMode = 'ClusterCIDR';
  } else s.detectLocalMode = 'None';
  s.masqueradeAll = cfg.masqueradeAll ?? false;
  s.masqueradeBit = cfg.masqueradeBit ?? 14;
  s.localhostNodePorts = cfg.localhostNodePorts ?? cfg.localhostNodePortsEnabled ?? true;
  s.nodePortAddresses = cfg.nodePortAddresses ?? [];
  s.serviceCIDRs = cfg.serviceCIDRs ?? [];
  s.conntrackTCPLiberal = cfg.conntrackTCPLiberal ?? false;
  return s;
}

function optionsFor(cfg: ConformanceProxierConfig, family: 4 | 6): GenerateIptablesOptions {
  const counters = cfg.nfAcctCounters ?? cfg.nfacctCounters ?? {};
  return {
    family,
    format: 'restore-input',
    markFormat: 'test',
    randomFully: cfg.hasRandomFully ?? false,
    nfacct: {
      ct_state_invalid_dropped_pkts: counters['ct_state_invalid_dropped_pkts'] === true,
      localhost_nps_accepted_pkts: counters['localhost_nps_accepted_pkts'] === true,
    },
  };
}

/** Inputs for the case (or one of its phases / variants). */
export function caseInputs(
  c: ConformanceCase,
  phaseIndex?: number,
  variant?: ConformanceVariant,
): CaseInputs {
  const cfg: ConformanceProxierConfig = {
    ...c.proxierConfig,
    ...(variant?.proxierConfig ?? {}),
    ...(variant?.proxierOverrides ?? {}),
  };
  const family: 4 | 6 = (cfg.ipFamily ?? c.ipFamily) === 'IPv6' ? 6 : 4;
  const detector = variant?.localDetector ?? c.localDetector;
  const objects = caseObjects(c, phaseIndex);
  return {
    services: variant?.services ?? objects.services,
    endpointSlices: variant?.endpointSlices ?? objects.endpointSlices,
    settings: settingsFor(c, cfg, detector, family),
    family,
    iptablesOptions: optionsFor(cfg, family),
  };
}

/** The iptables ruleset svcpath generates for a case (restore input, or `save` for a loadable ruleset). */
export function generatedRulesetForCase(
  c: ConformanceCase,
  phaseIndex?: number,
  opts: {
    variant?: ConformanceVariant;
    format?: 'restore-input' | 'save';
    /** Replaces the harness' generator options (e.g. `nfacct: false` to load into a fresh namespace). */
    overrides?: Partial<GenerateIptablesOptions>;
  } = {},
): GenerateIptablesResult {
  const inputs = caseInputs(c, phaseIndex, opts.variant);
  return generateIptables(inputs, inputs.settings, {
    ...inputs.iptablesOptions,
    format: opts.format ?? 'restore-input',
    ...(opts.overrides ?? {}),
  });
}

/**
 * The restore input of a phase's sync as kube-proxy writes it: partial, relative to the previous
 * phase's objects, or full when the phase says the sync is a full resync (after a failed restore).
 */
export function generatedSyncForPhase(c: ConformanceCase, phaseIndex: number): GenerateIptablesResult {
  const inputs = caseInputs(c, phaseIndex);
  const previous = caseObjects(c, phaseIndex === 0 ? undefined : phaseIndex - 1);
  const description = c.phases?.[phaseIndex]?.description ?? '';
  return generateIptablesSync(inputs, inputs.settings, {
    ...inputs.iptablesOptions,
    previous,
    fullSync: /full resync/i.test(description),
  });
}
