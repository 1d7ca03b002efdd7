/**
 * `npm run bench`: drydock's gateway benchmark. In one run on one machine, side by side with a
 * bare `node:http` server doing the least work an HTTP answer needs, it measures start-up to the
 * first answered request, idle memory, and throughput/latency of two cheap reads at 1, 8 and 64
 * keep-alive connections, then prints a table, the ratios and one verdict line per target. A last
 * section runs bench/autoscaling-refresh.ts in this process: a 1,000-instance instance refresh on
 * virtual time, then bench/ecs-managed-draining.ts: ECS managed draining through an instance
 * refresh of 200 instances running 2,000 service tasks. Before them, bench/load-balancer.ts
 * measures the ALB and NLB listeners against a direct connection to their target. Options:
 * --quick (shorter slices, fewer start-ups), --json <file> (write every number).
 * How to read it: docs/benchmarks.md.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchAutoscalingRefresh, refreshTable, refreshVerdict } from './autoscaling-refresh.js';
import { benchEcsManagedDraining, drainingTable, drainingVerdict } from './ecs-managed-draining.js';
import { startBareServer, spawnBareServer, BARE_URL_LINE, type BareAnswers } from './bare-server.js';
import { stop, stopAll, stderrTail } from './children.js';
import {
  DRYDOCK_URL_LINE,
  measureStartup,
  readMemory,
  spawnDrydock,
  startDrydockProcess,
  type Memory,
  type StartupSample,
} from './gateway.js';
import { LoadGenerator, type SliceResult } from './load.js';
import { SideTally, type Side } from './side-tally.js';
import { benchLoadBalancer, LB_FULL, LB_QUICK, printLbReport } from './load-balancer.js';
import {
  DESCRIBE_AUTO_SCALING_GROUPS,
  expectationFrom,
  LIST_CLUSTERS,
  send,
  signedRequest,
  type Answer,
  type BenchRequest,
  type Expectation,
  type Operation,
} from './requests.js';
import { max, median } from './stats.js';
import { formatCount, formatMs, formatRatio, ratioBar, renderTable } from './table.js';

const TARGETS = { startupS: 0.5, idleRssMiB: 100, throughputRatio: 1 / 3 };

interface Settings {
  startups: number;
  /** Requests sent after start-up before memory is read. */
  settleRequests: number;
  settleMs: number;
  connections: number[];
  warmupS: number;
  /** Measured slices per target and cell; bare and drydock alternate slice by slice. */
  slices: number;
  sliceS: number;
  /** ECS clusters created before the load, so ListClusters answers with a few ARNs. */
  clusters: number;
}

const FULL: Settings = {
  startups: 5,
  settleRequests: 20,
  settleMs: 1000,
  connections: [1, 8, 64],
  warmupS: 1,
  slices: 6,
  sliceS: 0.5,
  clusters: 3,
};
const QUICK: Settings = { ...FULL, startups: 3, settleMs: 300, warmupS: 0.3, slices: 4, sliceS: 0.25 };

interface Args {
  quick: boolean;
  json?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') args.quick = true;
    else if (arg === '--json') {
      const file = argv[++i];
      if (!file) usage('--json needs a file name');
      args.json = file;
    } else if (arg?.startsWith('--json=')) args.json = arg.slice('--json='.length);
    else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  return args;
}

function usage(problem?: string): never {
  if (problem) console.error(`bench: ${problem}`);
  console.error('usage: npm run bench -- [--quick] [--json <file>]');
  process.exit(problem ? 2 : 0);
}

function progress(text: string): void {
  process.stderr.write(`  … ${text}\n`);
}

// ── start-up and memory ─────────────────────────────────────────────────────────────────────

interface StartupReport {
  drydock: StartupSample[];
  drydockIdle: Memory[];
  bare: StartupSample[];
  bareIdle: Memory[];
}

async function benchStartup(
  settings: Settings,
  probes: Map<Operation, BenchRequest>,
): Promise<{ report: StartupReport; answers: Map<Operation, Answer> }> {
  const report: StartupReport = { drydock: [], drydockIdle: [], bare: [], bareIdle: [] };
  const listClusters = probes.get(LIST_CLUSTERS) as BenchRequest;
  const answers = new Map<Operation, Answer>();
  let bareAnswers: BareAnswers | undefined;
  for (let run = 1; run <= settings.startups; run++) {
    progress(`start-up ${run}/${settings.startups}: drydock`);
    const drydock = await measureStartup(spawnDrydock, DRYDOCK_URL_LINE, () => listClusters);
    report.drydock.push(drydock.sample);
    for (let i = 0; i < settings.settleRequests; i++) {
      const [operation, request] = [...probes][i % probes.size] as [Operation, BenchRequest];
      const answer = await send(drydock.server.url, request);
      if (answer.status !== 200) {
        throw new Error(`drydock answered ${operation.label} with HTTP ${answer.status}: ${answer.body.slice(0, 500)}`);
      }
      answers.set(operation, answer);
    }
    await sleep(settings.settleMs);
    report.drydockIdle.push(readMemory(drydock.server.child.pid as number));
    await stop(drydock.server.child);

    // The bare server answers with what drydock answered, so it needs drydock's answers first.
    bareAnswers ??= bareAnswersFrom(answers);
    const answersForBare = bareAnswers;
    progress(`start-up ${run}/${settings.startups}: bare node:http`);
    const bare = await measureStartup(
      () => {
        const child = spawnBareServer(answersForBare);
        return { child, stderr: stderrTail(child) };
      },
      BARE_URL_LINE,
      () => listClusters,
    );
    report.bare.push(bare.sample);
    for (let i = 0; i < settings.settleRequests; i++) await send(bare.server.url, listClusters);
    await sleep(settings.settleMs);
    report.bareIdle.push(readMemory(bare.server.child.pid as number));
    await stop(bare.server.child);
  }
  return { report, answers };
}

function bareAnswersFrom(answers: Map<Operation, Answer>): BareAnswers {
  const fixed = (operation: Operation) => {
    const answer = answers.get(operation);
    if (!answer) throw new Error(`no drydock answer captured for ${operation.label}`);
    return { contentType: String(answer.headers['content-type'] ?? 'application/octet-stream'), body: answer.body };
  };
  return { json: fixed(LIST_CLUSTERS), query: fixed(DESCRIBE_AUTO_SCALING_GROUPS) };
}

// ── throughput ──────────────────────────────────────────────────────────────────────────────

interface Cell {
  operation: string;
  protocol: string;
  connections: number;
  bare: Side;
  drydock: Side;
  /** Median over slice pairs of drydock req/s ÷ bare req/s. */
  ratio: number;
  /** Lowest and highest pair ratio: how much the machine's noise moved it. */
  ratioMin: number;
  ratioMax: number;
  /** Each measured slice's req/s, in the order they ran. */
  slices: { bare: number; drydock: number }[];
}

function requestsPerS(slice: SliceResult): number {
  return slice.elapsedS > 0 ? slice.responses / slice.elapsedS : Number.NaN;
}

interface Target {
  url: string;
  request: BenchRequest;
}

async function benchThroughput(
  settings: Settings,
  load: LoadGenerator,
  operation: Operation,
  targets: { bare: Target; drydock: Target },
  expectation: Expectation,
): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const connections of settings.connections) {
    progress(`${operation.label} at ${connections} connection${connections === 1 ? '' : 's'}`);
    const tallies = { bare: new SideTally(), drydock: new SideTally() };
    const slice = async (name: 'bare' | 'drydock', durationS: number, measured: boolean) => {
      const target = targets[name];
      const result = await load.run({
        url: target.url,
        connections,
        durationS,
        request: target.request,
        expectation,
        record: measured,
      });
      tallies[name].add(result, measured);
    };
    await slice('bare', settings.warmupS, false);
    await slice('drydock', settings.warmupS, false);
    // Slices alternate, and the order flips every pair (bare-drydock, drydock-bare, …), so both
    // a burst from a neighbour and a slow drift in the machine's load hit both sides alike.
    for (let i = 0; i < settings.slices; i++) {
      const order = i % 2 === 0 ? (['bare', 'drydock'] as const) : (['drydock', 'bare'] as const);
      for (const name of order) await slice(name, settings.sliceS, true);
    }
    const slices = tallies.bare.slices.map((bareSlice, i) => ({
      bare: requestsPerS(bareSlice),
      drydock: requestsPerS(tallies.drydock.slices[i] as SliceResult),
    }));
    const ratios = slices.map((pair) => pair.drydock / pair.bare);
    cells.push({
      operation: operation.label,
      protocol: operation.protocol,
      connections,
      bare: tallies.bare.side(),
      drydock: tallies.drydock.side(),
      ratio: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: max(ratios),
      slices,
    });
  }
  return cells;
}

async function expectOk(url: string, operation: Operation, request: BenchRequest): Promise<Answer> {
  const answer = await send(url, request);
  if (answer.status !== 200)
    throw new Error(`${url} answered ${operation.label} with HTTP ${answer.status}: ${answer.body.slice(0, 500)}`);
  return answer;
}

/** A few clusters, so that ListClusters reads rows and answers with ARNs rather than `[]`. */
async function seedClusters(url: string, host: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const create: Operation = {
      ...LIST_CLUSTERS,
      label: 'ecs CreateCluster',
      unsignedHeaders: {
        ...LIST_CLUSTERS.unsignedHeaders,
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.CreateCluster',
      },
      body: JSON.stringify({ clusterName: `bench-${i}` }),
    };
    await expectOk(url, create, await signedRequest(create, host));
  }
}

// ── report ──────────────────────────────────────────────────────────────────────────────────

function startupTable(report: StartupReport): string {
  const row = (name: string, samples: StartupSample[], idle: Memory[]) => [
    name,
    String(samples.length),
    formatMs(median(samples.map((s) => s.urlLineMs))),
    formatMs(median(samples.map((s) => s.firstOkMs))),
    formatMs(max(samples.map((s) => s.firstOkMs))),
    median(idle.map((m) => m.rssMiB)).toFixed(1),
    max(idle.map((m) => m.rssMiB)).toFixed(1),
    max(idle.map((m) => m.hwmMiB)).toFixed(1),
  ];
  return renderTable(
    [
      { title: 'process', align: 'left' },
      { title: 'runs', align: 'right' },
      { title: 'URL line ms (med)', align: 'right' },
      { title: 'first 200 ms (med)', align: 'right' },
      { title: '(max)', align: 'right' },
      { title: 'idle RSS MiB (med)', align: 'right' },
      { title: '(max)', align: 'right' },
      { title: 'peak RSS MiB', align: 'right' },
    ],
    [row('drydock up', report.drydock, report.drydockIdle), row('bare node:http', report.bare, report.bareIdle)],
  );
}

function throughputTable(cells: Cell[]): string {
  const check = (cell: Cell) =>
    cell.bare.bad + cell.drydock.bad === 0 ? 'ok' : `${cell.bare.bad + cell.drydock.bad} BAD`;
  return renderTable(
    [
      { title: 'request', align: 'left' },
      { title: 'conns', align: 'right' },
      { title: 'bare req/s', align: 'right' },
      { title: 'p50 ms', align: 'right' },
      { title: 'p99 ms', align: 'right' },
      { title: 'drydock req/s', align: 'right' },
      { title: 'p50 ms', align: 'right' },
      { title: 'p99 ms', align: 'right' },
      { title: 'ratio', align: 'right' },
      { title: '(pairs)', align: 'left' },
      { title: `drydock/bare req/s (┊ = ${formatRatio(TARGETS.throughputRatio)})`, align: 'left' },
      { title: 'answers', align: 'left' },
    ],
    cells.map((cell) => [
      cell.operation,
      String(cell.connections),
      formatCount(cell.bare.requestsPerS),
      formatMs(cell.bare.p50Ms),
      formatMs(cell.bare.p99Ms),
      formatCount(cell.drydock.requestsPerS),
      formatMs(cell.drydock.p50Ms),
      formatMs(cell.drydock.p99Ms),
      formatRatio(cell.ratio),
      `${formatRatio(cell.ratioMin)}–${formatRatio(cell.ratioMax)}`,
      ratioBar(cell.ratio, TARGETS.throughputRatio),
      check(cell),
    ]),
  );
}

interface Verdict {
  target: string;
  pass: boolean;
  line: string;
}

function verdicts(startup: StartupReport, cells: Cell[]): Verdict[] {
  const mark = (pass: boolean) => (pass ? 'PASS' : 'MISS');
  const startupMed = median(startup.drydock.map((s) => s.firstOkMs)) / 1000;
  const startupMax = max(startup.drydock.map((s) => s.firstOkMs)) / 1000;
  const bareStartup = median(startup.bare.map((s) => s.firstOkMs)) / 1000;
  const startupPass = startupMed < TARGETS.startupS;
  const rssMax = max(startup.drydockIdle.map((m) => m.rssMiB));
  const bareRss = median(startup.bareIdle.map((m) => m.rssMiB));
  const rssPass = rssMax < TARGETS.idleRssMiB;
  const worst = cells.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  const throughputPass = cells.every((cell) => cell.ratio >= TARGETS.throughputRatio);
  const responses = cells.reduce((sum, c) => sum + c.bare.responses + c.drydock.responses, 0);
  const bad = cells.filter((c) => c.bare.bad + c.drydock.bad > 0);
  const valid = bad.length === 0 && responses > 0;
  const problem =
    bad[0] &&
    `${bad[0].operation} at ${bad[0].connections}: ${bad[0].drydock.firstProblem ?? bad[0].bare.firstProblem}`;
  return [
    {
      target: 'startup',
      pass: startupPass,
      line:
        `${mark(startupPass)}  start-up to first 200: median ${startupMed.toFixed(3)} s, max ${startupMax.toFixed(3)} s ` +
        `(target < ${TARGETS.startupS} s; bare node:http ${bareStartup.toFixed(3)} s, ×${formatRatio(startupMed / bareStartup)})`,
    },
    {
      target: 'idleRss',
      pass: rssPass,
      line:
        `${mark(rssPass)}  idle RSS: max ${rssMax.toFixed(1)} MiB over ${startup.drydockIdle.length} start-ups ` +
        `(target < ${TARGETS.idleRssMiB} MiB; bare node:http ${bareRss.toFixed(1)} MiB)`,
    },
    {
      target: 'throughput',
      pass: throughputPass,
      line:
        `${mark(throughputPass)}  cheap-read throughput: lowest drydock/bare ratio ${formatRatio(worst.ratio)} ` +
        `(${worst.operation} at ${worst.connections} conns; target ≥ ${formatRatio(TARGETS.throughputRatio)} in every cell)`,
    },
    {
      target: 'answers',
      pass: valid,
      line: valid
        ? `OK    all ${formatCount(responses)} answers were 200 with the expected body (warm-up included)`
        : `BAD   ${bad.length} cell(s) had non-200s, errors or wrong bodies; numbers are not valid: ${problem ?? 'no answers'}`,
    },
  ];
}

// ── main ────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const settings = args.quick ? QUICK : FULL;
  const operations = [LIST_CLUSTERS, DESCRIBE_AUTO_SCALING_GROUPS];
  const loadBefore = os.loadavg();
  const cpus = os.cpus();
  console.log(
    `drydock gateway bench${args.quick ? ' (--quick)' : ''}: node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ` +
      `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );

  // Start-up probes are signed once for a placeholder host: the port is not known before spawn.
  const probes = new Map<Operation, BenchRequest>();
  for (const operation of operations) probes.set(operation, await signedRequest(operation, '127.0.0.1'));
  const { report: startup } = await benchStartup(settings, probes);

  progress('starting drydock, the bare server and the load generator');
  const drydock = await startDrydockProcess();
  const drydockHost = new URL(drydock.url).host;
  await seedClusters(drydock.url, drydockHost, settings.clusters);
  const requests = new Map<Operation, BenchRequest>();
  const answers = new Map<Operation, Answer>();
  for (const operation of operations) {
    const request = await signedRequest(operation, drydockHost);
    requests.set(operation, request);
    answers.set(operation, await expectOk(drydock.url, operation, request));
  }
  const bare = await startBareServer(bareAnswersFrom(answers));
  const load = await LoadGenerator.start();

  const cells: Cell[] = [];
  for (const operation of operations) {
    const request = requests.get(operation) as BenchRequest;
    const expectation = expectationFrom(answers.get(operation) as Answer);
    // The baseline's own answer has to pass the same check, or the comparison is void.
    const bareAnswer = await expectOk(bare.url, operation, request);
    if (!new RegExp(expectation.pattern).test(bareAnswer.body))
      throw new Error(`bare server's ${operation.label} answer fails the body check`);
    cells.push(
      ...(await benchThroughput(
        settings,
        load,
        operation,
        { bare: { url: bare.url, request }, drydock: { url: drydock.url, request } },
        expectation,
      )),
    );
  }
  const afterLoad = { drydock: readMemory(drydock.child.pid as number), bare: readMemory(bare.child.pid as number) };
  await Promise.all([stop(bare.child), stop(drydock.child)]);
  const loadBalancer = await benchLoadBalancer(args.quick ? LB_QUICK : LB_FULL, load);
  await load.close();
  // In this process, once the children are gone: nothing else competes for the CPU.
  progress('instance refresh of a 1,000-instance group on virtual time');
  const refresh = await benchAutoscalingRefresh();
  progress('ECS managed draining through an instance refresh of 200 instances, 2,000 tasks, on virtual time');
  const draining = await benchEcsManagedDraining();
  const loadAfter = os.loadavg();

  console.log('\nStart-up (spawn → first 200 to ECS ListClusters) and idle memory');
  console.log(startupTable(startup));
  console.log(
    `\nCheap reads, keep-alive, ${settings.slices} × ${settings.sliceS} s per side and cell after ${settings.warmupS} s warm-up, ` +
      `bare and drydock slices alternating;\nratio = median over slice pairs of drydock req/s ÷ bare req/s, (pairs) = its range; ` +
      `load generator: autocannon in its own process`,
  );
  console.log(throughputTable(cells));
  console.log(
    `\nAfter the load: drydock RSS ${afterLoad.drydock.rssMiB.toFixed(1)} MiB (peak ${afterLoad.drydock.hwmMiB.toFixed(1)}), ` +
      `bare RSS ${afterLoad.bare.rssMiB.toFixed(1)} MiB; load average ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(
    '\nInstance refresh on virtual time: 1,000 instances, a terminate hook completed 5 simulated minutes after each action',
  );
  console.log(refreshTable(refresh));
  const refreshResult = refreshVerdict(refresh);
  console.log(
    '\nECS managed draining on virtual time: 200 instances behind a capacity provider, 10 services × 200 tasks (min 100 %), instance refresh',
  );
  console.log(drainingTable(draining));
  const drainingResult = drainingVerdict(draining);
  const results = [
    ...verdicts(startup, cells),
    { target: 'autoscaling-refresh', pass: refreshResult.pass, line: refreshResult.line },
    { target: 'ecs-managed-draining', pass: drainingResult.pass, line: drainingResult.line },
  ];
  console.log('');
  for (const verdict of results) console.log(verdict.line);
  printLbReport(loadBalancer);

  if (args.json) {
    const document = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model,
      loadAverage: { before: loadBefore, after: loadAfter },
      settings,
      targets: TARGETS,
      startup,
      memoryAfterLoad: afterLoad,
      throughput: cells,
      autoscalingRefresh: refresh,
      ecsManagedDraining: draining,
      verdicts: results,
      loadBalancer,
    };
    writeFileSync(args.json, `${JSON.stringify(document, null, 2)}\n`);
    console.log(`\nwrote ${args.json}`);
  }
  const lbAnswers = loadBalancer.verdicts.find((v) => v.target === 'lbAnswers')?.pass;
  // A wrong refresh (not Successful, instances left behind) fails the run like a wrong answer does.
  return results.find((v) => v.target === 'answers')?.pass &&
    refreshResult.correct &&
    drainingResult.correct &&
    lbAnswers
    ? 0
    : 1;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\nbench: ${signal}, stopping child processes…`);
    void stopAll().finally(() => process.exit(130));
  });
}

main().then(
  async (code) => {
    await stopAll();
    process.exit(code);
  },
  async (error: unknown) => {
    // After Ctrl-C, the failures are only the children being stopped under the driver's feet.
    if (interrupted) return;
    console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
    await stopAll();
    process.exit(1);
  },
);
