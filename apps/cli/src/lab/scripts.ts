// Programs run inside the lab's namespaces with `ip netns exec NS node -e SCRIPT CONFIG`.
// They are plain JavaScript so that they run on the node binary alone, without a build.

/** One endpoint the pod server answers for. */
export interface ServedEndpoint {
  ip: string;
  port: number;
  proto: 'tcp' | 'udp';
  name: string;
}

/** What a pod answers: which endpoint it is and the source address it saw. */
export interface PodReply {
  endpoint: string;
  name: string;
  peer: string;
}

/**
 * Listens on every endpoint `IP:PORT` (TCP and/or UDP) and answers each connection or datagram
 * with one JSON line `{endpoint, name, peer}`. Prints `ready` once all listen; exits when its
 * standard input closes, so it never outlives the lab.
 */
export const POD_SERVER_SCRIPT = String.raw`
const net = require('node:net');
const dgram = require('node:dgram');
const endpoints = JSON.parse(process.argv[1]);
let pending = endpoints.length;
const listening = () => { if (--pending === 0) process.stdout.write('ready\n'); };
const fail = (e) => { process.stderr.write(String(e && e.message || e) + '\n'); process.exit(1); };
const reply = (ep, addr, port) => JSON.stringify({ endpoint: ep.ip + ':' + ep.port, name: ep.name, peer: addr + ':' + port }) + '\n';
for (const ep of endpoints) {
  if (ep.proto === 'tcp') {
    const srv = net.createServer((sock) => {
      sock.on('error', () => {});
      sock.end(reply(ep, sock.remoteAddress, sock.remotePort));
    });
    srv.on('error', fail);
    srv.listen({ host: ep.ip, port: ep.port }, listening);
  } else {
    const sock = dgram.createSocket('udp4');
    sock.on('error', fail);
    sock.on('message', (_msg, rinfo) => sock.send(reply(ep, rinfo.address, rinfo.port), rinfo.port, rinfo.address));
    sock.bind({ address: ep.ip, port: ep.port }, listening);
  }
}
if (pending === 0) process.stdout.write('ready\n');
process.stdin.on('data', () => {});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
`;

/** What the probe is asked to do: `sources.length` clients, each making `repeat` connections in turn. */
export interface ProbeConfig {
  proto: 'tcp' | 'udp';
  dst: string;
  dport: number;
  timeoutMs: number;
  concurrency: number;
  /** Source address per client; null lets the kernel choose. */
  sources: Array<string | null>;
  repeat: number;
  /**
   * One connection made before all others from a fixed source port (outside the ephemeral
   * range), which the kernel traces.
   */
  traced?: { src: string; localPort: number; timeoutMs: number };
}

/** What the probe prints. */
export interface ProbeOutput {
  traced: ProbeResult | null;
  /** Per client, its results in order. */
  clients: ProbeResult[][];
}

/** One connection's fate as the client saw it. */
export interface ProbeResult {
  /** The client's own address (before any NAT). */
  local: string;
  reply: PodReply | null;
  /** `refused` (ECONNREFUSED: REJECT or nothing listening), `timeout`, or `error:CODE`. */
  error: string | null;
}

/**
 * Reads one `ProbeConfig` per line on standard input, makes its connections (each on a new
 * socket, so a new source port and a new conntrack entry) and prints one `ProbeOutput` line per
 * job. Exits when its standard input closes.
 */
export const PROBE_SCRIPT = String.raw`
const net = require('node:net');
const dgram = require('node:dgram');
let cfg; // the job being run: jobs run one at a time
const errName = (e) => (e && e.code === 'ECONNREFUSED' ? 'refused' : 'error:' + ((e && e.code) || String(e)));
function parse(text) {
  try { const line = text.split('\n')[0]; const r = JSON.parse(line); return r && typeof r.endpoint === 'string' ? r : null; } catch { return null; }
}
function tcpOnce(src, port, timeoutMs) {
  return new Promise((resolve) => {
    let data = '';
    let local = src || '';
    let done = false;
    const finish = (reply, error) => { if (done) return; done = true; clearTimeout(timer); sock.destroy(); resolve({ local, reply, error }); };
    const opts = { host: cfg.dst, port: cfg.dport };
    if (src) opts.localAddress = src;
    if (port) opts.localPort = port;
    const sock = net.connect(opts);
    const timer = setTimeout(() => finish(null, data ? 'error:partial' : 'timeout'), timeoutMs);
    sock.on('connect', () => { local = sock.localAddress || local; });
    sock.on('data', (d) => { data += d; });
    sock.on('end', () => { const r = parse(data); finish(r, r ? null : 'error:bad-reply'); });
    sock.on('error', (e) => finish(null, errName(e)));
  });
}
function udpOnce(src, port, timeoutMs) {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    let local = src || '';
    let done = false;
    const finish = (reply, error) => { if (done) return; done = true; clearTimeout(timer); try { sock.close(); } catch {} resolve({ local, reply, error }); };
    const timer = setTimeout(() => finish(null, 'timeout'), timeoutMs);
    sock.on('error', (e) => finish(null, errName(e)));
    sock.on('message', (msg) => { const r = parse(msg.toString()); finish(r, r ? null : 'error:bad-reply'); });
    sock.bind(src ? { address: src, port: port || 0 } : { port: port || 0 }, () => {
      sock.connect(cfg.dport, cfg.dst, (e) => {
        if (e) return finish(null, errName(e));
        local = sock.address().address;
        sock.send('probe');
      });
    });
  });
}
async function client(src) {
  const out = [];
  for (let i = 0; i < cfg.repeat; i++) out.push(await once(src, 0, cfg.timeoutMs));
  return out;
}
const once = (src, port, timeoutMs) => (cfg.proto === 'tcp' ? tcpOnce(src, port, timeoutMs) : udpOnce(src, port, timeoutMs));
async function job() {
  const t = cfg.traced;
  const traced = t ? await once(t.src, t.localPort, t.timeoutMs) : null;
  const results = new Array(cfg.sources.length);
  let next = 0;
  const worker = async () => { while (next < cfg.sources.length) { const i = next++; results[i] = await client(cfg.sources[i]); } };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(cfg.concurrency, cfg.sources.length)) }, worker));
  return { traced, clients: results };
}
const lines = require('node:readline').createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    let out;
    try { cfg = JSON.parse(line); out = await job(); } catch (e) { out = { error: String((e && e.message) || e) }; }
    process.stdout.write(JSON.stringify(out) + '\n');
  });
});
lines.on('close', () => queue.then(() => process.exit(0)));
`;
