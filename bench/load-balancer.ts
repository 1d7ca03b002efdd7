/**
 * The load balancer data plane's overhead: requests/s and p50/p99 latency through an ALB HTTP
 * listener (reverse proxy) and an NLB TCP listener (connection proxy) against one
 * `drydock/http-echo` target, beside a direct connection to that same target, in one run with
 * direct/ALB/NLB slices interleaved. The listeners are drydock's own data plane
 * (createProxyDataplane) in this process, driven by a fixed routing decision; autocannon runs in
 * its own process, the target in another. Run from bench/run.ts, or alone:
 * `node --import tsx bench/load-balancer.ts [--quick] [--json <file>]`.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createImageResolver } from '../src/dataplane/images.js';
import { createProxyDataplane, type ProxyDataplane } from '../src/dataplane/load-balancer/proxy-dataplane.js';
import { silentLogger } from '../src/kernel/logger.js';
import { SystemClock } from '../src/kernel/system-clock.js';
import type { LoadBalancerObserver, RoutingApi, TargetEndpoint } from '../src/services/elbv2/ports.js';
import { stderrTail, stop, stopAll, track, waitForLine } from './children.js';
import { LoadGenerator, type SliceResult } from './load.js';
import { SideTally, type Side } from './side-tally.js';
import type { BenchRequest, Expectation } from './requests.js';
import { max, median } from './stats.js';
import { formatCount, formatMs, formatRatio, ratioBar, renderTable } from './table.js';

export const LB_TARGETS = { albThroughputRatio: 0.5, albAddedP50Ms: 1, nlbThroughputRatio: 0.7 };

export interface LbSettings {
  connections: number[];
  warmupS: number;
  /** Measured slices per path and cell; the order of the three paths rotates slice by slice. */
  slices: number;
  sliceS: number;
}

export const LB_FULL: LbSettings = { connections: [1, 8, 64], warmupS: 1, slices: 6, sliceS: 0.5 };
export const LB_QUICK: LbSettings = { ...LB_FULL, warmupS: 0.3, slices: 3, sliceS: 0.25 };

const PATHS = ['direct', 'alb', 'nlb'] as const;
type PathName = (typeof PATHS)[number];
const PATH_LABEL: Record<PathName, string> = { direct: 'direct', alb: 'ALB (HTTP)', nlb: 'NLB (TCP)' };

/** The loopback address everything binds to (127.0.0.1 works on every OS, unlike 127.1/16). */
const HOST = '127.0.0.1';
const IMAGES_DIR = fileURLToPath(new URL('../dist/dataplane/images', import.meta.url));

export interface LbCell {
  connections: number;
  sides: Record<PathName, Side>;
  /** Median over slice rounds of proxy req/s ÷ direct req/s. */
  albRatio: number;
  nlbRatio: number;
  albRange: [number, number];
  nlbRange: [number, number];
  /** Proxy p50 − direct p50. */
  albAddedP50Ms: number;
  nlbAddedP50Ms: number;
}

export interface LbReport {
  settings: LbSettings;
  cells: LbCell[];
  verdicts: { target: string; pass: boolean; line: string }[];
  table: string;
}

const rate = (slice: SliceResult | undefined) =>
  slice && slice.elapsedS > 0 ? slice.responses / slice.elapsedS : Number.NaN;

/** drydock/http-echo in its own process on an ephemeral port; resolves with its URL. */
async function startEcho(): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const resolved = createImageResolver(existsSync(IMAGES_DIR) ? { imagesDir: IMAGES_DIR } : {})('drydock/http-echo');
  if (resolved.kind !== 'command') throw new Error(`drydock/http-echo cannot run: ${JSON.stringify(resolved)}`);
  const [command, ...args] = resolved.argv as [string, ...string[]];
  const child = track(
    spawn(command, args, {
      env: { ...process.env, HOST, PORT: '0', HTTP_ECHO_MESSAGE: 'bench' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    'http-echo',
  );
  const stderr = stderrTail(child);
  try {
    const address = await waitForLine(child, 'http-echo', /http-echo listening on (\S+)/, 10_000);
    // Its per-request log line goes nowhere, as it would to a discarded container log.
    child.stdout?.resume();
    const port = Number(address.split(':').pop());
    return { url: `http://${HOST}:${port}/`, port, stop: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw new Error(`${(error as Error).message}\n${stderr()}`);
  }
}

/** An ALB and an NLB listener, each forwarding every request/connection to the one target. */
async function startListeners(
  target: TargetEndpoint,
): Promise<{ alb: string; nlb: string; dataplane: ProxyDataplane; clock: SystemClock }> {
  const clock = new SystemClock();
  const routing: RoutingApi = {
    routeHttp: () => ({
      kind: 'forward',
      targetGroupArn: target.targetGroupArn,
      candidates: [target],
      algorithm: 'round_robin',
    }),
    routeTcp: () => ({ kind: 'forward', targetGroupArn: target.targetGroupArn, candidates: [target] }),
  };
  const bound = new Map<string, number>();
  let failure: string | undefined;
  let wake: () => void = () => {};
  const observer: LoadBalancerObserver = {
    probeCompleted: () => {},
    activityChanged: () => {},
    listenerBound: (arn, _address, port) => {
      bound.set(arn, port);
      wake();
    },
    listenerBindFailed: (arn, message) => {
      failure = `${arn}: ${message}`;
      wake();
    },
  };
  const dataplane = createProxyDataplane({
    clock,
    logger: silentLogger,
    routing: () => routing,
    observer: () => observer,
  });
  const lb = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer';
  dataplane.bindListener({
    listenerArn: 'alb',
    loadBalancerArn: `${lb}/app/bench/1`,
    protocol: 'HTTP',
    address: HOST,
    port: 0,
  });
  dataplane.bindListener({
    listenerArn: 'nlb',
    loadBalancerArn: `${lb}/net/bench/2`,
    protocol: 'TCP',
    address: HOST,
    port: 0,
  });
  await new Promise<void>((resolve) => {
    wake = () => {
      if (failure !== undefined || bound.size === 2) resolve();
    };
    wake();
  });
  if (failure !== undefined) throw new Error(`a bench listener did not bind: ${failure}`);
  return { alb: `http://${HOST}:${bound.get('alb')}/`, nlb: `http://${HOST}:${bound.get('nlb')}/`, dataplane, clock };
}

function progress(text: string): void {
  process.stderr.write(`  … ${text}\n`);
}

export async function benchLoadBalancer(settings: LbSettings, load: LoadGenerator): Promise<LbReport> {
  progress('load balancer: starting drydock/http-echo and the ALB/NLB listeners');
  const echo = await startEcho();
  const target: TargetEndpoint = {
    targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/bench/1',
    id: HOST,
    address: HOST,
    port: echo.port,
  };
  const listeners = await startListeners(target);
  try {
    const urls: Record<PathName, string> = { direct: echo.url, alb: listeners.alb, nlb: listeners.nlb };
    // An empty POST, as autocannon sends it; http-echo answers any method the same way.
    const request: BenchRequest = { method: 'POST', path: '/', headers: {}, body: '' };
    const expectation: Expectation = { pattern: '^\\{.*"message":"bench".*"method":"POST","path":"/".*\\}\\n$' };
    const cells: LbCell[] = [];
    for (const connections of settings.connections) {
      progress(`load balancer: ${connections} connection${connections === 1 ? '' : 's'}`);
      const tallies: Record<PathName, SideTally> = {
        direct: new SideTally(),
        alb: new SideTally(),
        nlb: new SideTally(),
      };
      const slice = async (path: PathName, durationS: number, measured: boolean) => {
        const result = await load.run({
          url: urls[path],
          connections,
          durationS,
          request,
          expectation,
          record: measured,
        });
        tallies[path].add(result, measured);
      };
      for (const path of PATHS) await slice(path, settings.warmupS, false);
      // Each round runs the three paths in a rotated order, so drift in the machine's load
      // falls on all of them alike.
      for (let round = 0; round < settings.slices; round++) {
        for (let i = 0; i < PATHS.length; i++)
          await slice(PATHS[(round + i) % PATHS.length] as PathName, settings.sliceS, true);
      }
      const ratios = (path: PathName) =>
        tallies.direct.slices.map((directSlice, i) => rate(tallies[path].slices[i]) / rate(directSlice));
      const albRatios = ratios('alb');
      const nlbRatios = ratios('nlb');
      const sides = { direct: tallies.direct.side(), alb: tallies.alb.side(), nlb: tallies.nlb.side() };
      cells.push({
        connections,
        sides,
        albRatio: median(albRatios),
        nlbRatio: median(nlbRatios),
        albRange: [Math.min(...albRatios), max(albRatios)],
        nlbRange: [Math.min(...nlbRatios), max(nlbRatios)],
        albAddedP50Ms: sides.alb.p50Ms - sides.direct.p50Ms,
        nlbAddedP50Ms: sides.nlb.p50Ms - sides.direct.p50Ms,
      });
    }
    const verdicts = lbVerdicts(cells);
    return { settings, cells, verdicts, table: lbTable(cells) };
  } finally {
    await listeners.dataplane.close();
    listeners.clock.close();
    await echo.stop();
  }
}

function lbTable(cells: LbCell[]): string {
  const rows: string[][] = [];
  for (const cell of cells) {
    for (const path of PATHS) {
      const side = cell.sides[path];
      const ratio = path === 'alb' ? cell.albRatio : path === 'nlb' ? cell.nlbRatio : 1;
      const range = path === 'alb' ? cell.albRange : path === 'nlb' ? cell.nlbRange : undefined;
      const added = path === 'alb' ? cell.albAddedP50Ms : path === 'nlb' ? cell.nlbAddedP50Ms : Number.NaN;
      const target = path === 'alb' ? LB_TARGETS.albThroughputRatio : LB_TARGETS.nlbThroughputRatio;
      rows.push([
        path === 'direct' ? String(cell.connections) : '',
        PATH_LABEL[path],
        formatCount(side.requestsPerS),
        formatMs(side.p50Ms),
        formatMs(side.p99Ms),
        path === 'direct' ? '' : `${added >= 0 ? '+' : ''}${added.toFixed(2)}`,
        path === 'direct' ? '' : formatRatio(ratio),
        range ? `${formatRatio(range[0])}–${formatRatio(range[1])}` : '',
        path === 'direct' ? '' : ratioBar(ratio, target),
        side.bad === 0 ? 'ok' : `${side.bad} BAD`,
      ]);
    }
  }
  return renderTable(
    [
      { title: 'conns', align: 'right' },
      { title: 'path', align: 'left' },
      { title: 'req/s', align: 'right' },
      { title: 'p50 ms', align: 'right' },
      { title: 'p99 ms', align: 'right' },
      { title: 'added p50 ms', align: 'right' },
      { title: 'ratio', align: 'right' },
      { title: '(rounds)', align: 'left' },
      { title: 'req/s ÷ direct (┊ = target)', align: 'left' },
      { title: 'answers', align: 'left' },
    ],
    rows,
  );
}

function lbVerdicts(cells: LbCell[]): LbReport['verdicts'] {
  const mark = (pass: boolean) => (pass ? 'PASS' : 'MISS');
  const lowest = (key: 'albRatio' | 'nlbRatio') => cells.reduce((a, b) => (b[key] < a[key] ? b : a));
  const worstAlb = lowest('albRatio');
  const worstNlb = lowest('nlbRatio');
  const albPass = cells.every((cell) => cell.albRatio >= LB_TARGETS.albThroughputRatio);
  const nlbPass = cells.every((cell) => cell.nlbRatio >= LB_TARGETS.nlbThroughputRatio);
  // Added latency is the proxy's own cost where requests do not queue: one connection.
  const single = cells.find((cell) => cell.connections === 1) ?? (cells[0] as LbCell);
  const latencyPass = single.albAddedP50Ms < LB_TARGETS.albAddedP50Ms;
  const bad = cells.flatMap((cell) => PATHS.filter((path) => cell.sides[path].bad > 0).map((path) => ({ cell, path })));
  const responses = cells.reduce((sum, cell) => sum + PATHS.reduce((s, path) => s + cell.sides[path].responses, 0), 0);
  const valid = bad.length === 0 && responses > 0;
  const problem =
    bad[0] &&
    `${PATH_LABEL[bad[0].path]} at ${bad[0].cell.connections}: ${bad[0].cell.sides[bad[0].path].firstProblem ?? '?'}`;
  return [
    {
      target: 'albThroughput',
      pass: albPass,
      line:
        `${mark(albPass)}  ALB throughput: lowest ALB/direct ratio ${formatRatio(worstAlb.albRatio)} at ${worstAlb.connections} conns ` +
        `(target ≥ ${formatRatio(LB_TARGETS.albThroughputRatio)} in every cell)`,
    },
    {
      target: 'albLatency',
      pass: latencyPass,
      line:
        `${mark(latencyPass)}  ALB added p50 at ${single.connections} connection: ${single.albAddedP50Ms.toFixed(2)} ms ` +
        `(${formatMs(single.sides.direct.p50Ms)} → ${formatMs(single.sides.alb.p50Ms)} ms; target < ${LB_TARGETS.albAddedP50Ms} ms)`,
    },
    {
      target: 'nlbThroughput',
      pass: nlbPass,
      line:
        `${mark(nlbPass)}  NLB throughput: lowest NLB/direct ratio ${formatRatio(worstNlb.nlbRatio)} at ${worstNlb.connections} conns ` +
        `(target ≥ ${formatRatio(LB_TARGETS.nlbThroughputRatio)} in every cell)`,
    },
    {
      target: 'lbAnswers',
      pass: valid,
      line: valid
        ? `OK    all ${formatCount(responses)} answers through every path were 200 from http-echo (warm-up included)`
        : `BAD   wrong answers, numbers are not valid: ${problem ?? 'no answers'}`,
    },
  ];
}

/** What run.ts prints: a heading, the table and the verdict lines. */
export function printLbReport(report: LbReport): void {
  const { settings } = report;
  console.log(
    `\nLoad balancer data plane: POST / to one drydock/http-echo target, keep-alive, ${settings.slices} × ${settings.sliceS} s ` +
      `per path and cell after ${settings.warmupS} s warm-up, direct/ALB/NLB slices rotating;\n` +
      `ratio = median over rounds of path req/s ÷ direct req/s, (rounds) = its range; added p50 = path p50 − direct p50`,
  );
  console.log(report.table);
  console.log('');
  for (const verdict of report.verdicts) console.log(verdict.line);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const jsonAt = argv.indexOf('--json');
  const json = jsonAt >= 0 ? argv[jsonAt + 1] : undefined;
  const cpus = os.cpus();
  console.log(
    `drydock load balancer bench${quick ? ' (--quick)' : ''}: node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ` +
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const load = await LoadGenerator.start();
  try {
    const report = await benchLoadBalancer(quick ? LB_QUICK : LB_FULL, load);
    printLbReport(report);
    if (json)
      writeFileSync(
        json,
        `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ...report }, null, 2)}\n`,
      );
    return report.verdicts.find((v) => v.target === 'lbAnswers')?.pass ? 0 : 1;
  } finally {
    await load.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    async (code) => {
      await stopAll();
      process.exit(code);
    },
    async (error: unknown) => {
      console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
      await stopAll();
      process.exit(1);
    },
  );
}
