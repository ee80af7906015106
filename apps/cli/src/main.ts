#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { runGenerate } from './commands/generate.js';
import { runGraph } from './commands/graph.js';
import { runAgent, runServe } from './commands/serve.js';
import { runSnapshot } from './commands/snapshot.js';
import { runLabCommand } from './commands/lab.js';
import { runTrace } from './commands/trace.js';
import { InputError } from './input/read-input.js';
import {
  AgentOptionsSchema,
  GenerateOptionsSchema,
  GraphOptionsSchema,
  LabOptionsSchema,
  ServeOptionsSchema,
  SnapshotOptionsSchema,
  TraceOptionsSchema,
  validate,
} from './input/schemas.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const integer = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
};

/** Runs a command body: prints its text, turns input errors into a message and exit code 2. */
async function run(body: () => string | void | Promise<string | void>): Promise<void> {
  try {
    const out = await body();
    if (typeof out === 'string') process.stdout.write(`${out}\n`);
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`svcpath: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}

export function buildProgram(): Command {
  const program = new Command('svcpath')
    .description(
      'How traffic to a Kubernetes Service really travels: kube-proxy rules, graphs and packet traces.',
    )
    .showHelpAfterError();

  program
    .command('serve', { isDefault: false })
    .description('serve the dashboard and its HTTP API (default source: the built-in demo cluster)')
    .option('--demo', 'the built-in demo cluster (the default)', false)
    .option('--kubeconfig <file>', 'a kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'a kubeconfig context (default: the current one)')
    .option('--in-cluster', "the pod's service account", false)
    .option('--snapshot <dir>', 'a saved cluster: cluster.json plus nodes/<node>/<dumps>')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', integer, 8080)
    .option('--auth-token-file <file>', 'require `Authorization: Bearer <token>` on every /api route')
    .option('--web-root <dir>', 'the built web app (default: apps/web/dist)')
    .addOption(
      new Option('--log-level <level>', 'server log level (JSON lines on stdout)')
        .choices(['fatal', 'error', 'warn', 'info', 'debug'])
        .default('warn'),
    )
    .addOption(
      new Option('--collect <collector>', 'dump collectors to run: agent, local, exec (repeatable)')
        .choices(['agent', 'local', 'exec'])
        .argParser(collect)
        .default([]),
    )
    .option(
      '--exec-namespace <namespace>',
      'with --collect exec: namespace of the kube-proxy pods (default kube-system)',
    )
    .option(
      '--exec-selector <selector>',
      'with --collect exec: equality label selector of the kube-proxy pods (default k8s-app=kube-proxy)',
    )
    .option(
      '--exec-container <name>',
      "with --collect exec: the container to exec into (default: kube-proxy, or the pod's only one)",
    )
    .action((o: Record<string, unknown>) => run(() => runServe(validate(ServeOptionsSchema, o))));

  program
    .command('agent')
    .description("serve this node's dataplane dumps to the svcpath server (run as a DaemonSet)")
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--port <port>', 'port to listen on', integer, 9465)
    .option('--auth-token-file <file>', 'require `Authorization: Bearer <token>`')
    .action((o: Record<string, unknown>) => run(() => runAgent(validate(AgentOptionsSchema, o))));

  program
    .command('snapshot')
    .description('save what a running svcpath server holds as a directory that `serve --snapshot` reads')
    .requiredOption('--server <url>', 'the server, e.g. http://127.0.0.1:8080')
    .requiredOption('--out <dir>', 'the directory to write')
    .option('--auth-token-file <file>', 'the bearer token file')
    .action((o: Record<string, unknown>) => run(() => runSnapshot(validate(SnapshotOptionsSchema, o))));

  program
    .command('generate')
    .description("print the rules kube-proxy writes on a node for a cluster's Services and EndpointSlices")
    .requiredOption(
      '--cluster <file>',
      'cluster objects as `kubectl get svc,endpointslices,pods,nodes -A -o json` prints (JSON or YAML)',
    )
    .requiredOption('--node <name>', 'the node to generate for')
    .addOption(
      new Option('--mode <mode>', 'proxy mode (default: from --proxy-config, else iptables)').choices([
        'iptables',
        'nftables',
        'ipvs',
      ]),
    )
    .option('--proxy-config <file>', "a KubeProxyConfiguration (YAML or JSON, as in kube-proxy's ConfigMap)")
    .option('--cluster-cidr <cidr>', 'cluster CIDR(s) for the local-traffic detector, comma separated')
    .option('--node-ip <ip>', "the node's IPs (repeatable; default: the Node's addresses)", collect, [])
    .addOption(
      new Option(
        '--format <format>',
        'save: a complete ruleset as iptables-save shows the node; restore-input: what kube-proxy hands iptables-restore',
      )
        .choices(['save', 'restore-input'])
        .default('save'),
    )
    .addOption(new Option('--family <family>', 'IP family').choices(['4', '6']).default('4'))
    .addOption(
      new Option('--part <part>', 'IPVS mode: which part to print (all prints the three with headers)')
        .choices(['all', 'ipvs', 'ipset', 'iptables'])
        .default('all'),
    )
    .action((o: Record<string, unknown>) =>
      run(() => runGenerate(validate(GenerateOptionsSchema, { ...o, family: Number(o['family']) }))),
    );

  program
    .command('graph')
    .description(
      'show each Service port of a dump: entry points → chains → endpoints with their probabilities',
    )
    .requiredOption(
      '--dump <file>',
      'a dump: iptables-save, nft list ruleset, ipvsadm -S -n … (repeatable)',
      collect,
    )
    .option('--service <ns/name[:port]>', 'only this Service (or Service port)')
    .option('--json', 'print JSON', false)
    .action((o: Record<string, unknown>) => run(() => runGraph(validate(GraphOptionsSchema, o)).text));

  program
    .command('trace')
    .description('trace the first packet of a new connection through a dump, rule by rule')
    .requiredOption(
      '--dump <file>',
      'a dump: iptables-save, nft list ruleset, ipvsadm -S -n … (repeatable)',
      collect,
    )
    .requiredOption('--src <ip>', 'source address')
    .requiredOption('--dst <ip>', 'destination address')
    .requiredOption('--dport <port>', 'destination port', integer)
    .addOption(new Option('--proto <proto>', 'protocol').choices(['tcp', 'udp', 'sctp']).default('tcp'))
    .option(
      '--node-ip <ip>',
      "the node's own addresses (repeatable); a packet from one starts at OUTPUT",
      collect,
      [],
    )
    .option('--in-interface <name>', 'interface the packet arrives on (for -i / iifname matches)')
    .option('--out-interface <name>', 'interface the packet leaves by (for -o / oifname matches)')
    .option('--json', 'print JSON', false)
    .action((o: Record<string, unknown>) => run(() => runTrace(validate(TraceOptionsSchema, o)).text));

  program
    .command('lab')
    .description(
      "prove the generator and tracer against the real kernel: builds a node, pods and a client in network namespaces, loads the node's generated rules, sends real connections and compares (Linux, root)",
    )
    .addOption(
      new Option('--mode <mode>', 'proxy mode to load').choices(['iptables', 'nftables']).default('iptables'),
    )
    .option('--connections <n>', 'new connections per target (10-1000)', integer, 300)
    .option('--timeout-ms <ms>', 'per-connection timeout', integer, 1000)
    .option('--cluster <file>', 'cluster objects (default: a built-in scenario)')
    .option('--node <name>', 'the node whose rules are loaded (with --cluster)')
    .option('--cluster-cidr <cidr>', "kube-proxy's cluster CIDR for the local-traffic detector")
    .option('--no-kernel-trace', "skip comparing one packet's path with the kernel's own TRACE")
    .option('--json', 'print JSON', false)
    .action((o: Record<string, unknown>) => run(() => runLabCommand(validate(LabOptionsSchema, o))));

  return program;
}

await buildProgram().parseAsync(process.argv);
