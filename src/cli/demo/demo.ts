/**
 * `drydock demo`: the fleet of seed 000 refreshed under load, narrated. It starts drydock in-process
 * (real clock, time-scaled) or uses a running one (`--endpoint`), builds the system through the
 * AWS API, puts steady HTTP load on the ALB, runs an instance refresh, and tells what happens —
 * instances entering Terminating:Wait, container instances DRAINING, tasks replaced, targets
 * draining, heartbeats, lifecycle actions completed — until the fleet has settled. It ends with a
 * summary and exits 1 if any request failed (or the refresh did not succeed), 2 if the demo could
 * not run at all.
 */
import type { Drydock } from '../../main.js';
import { silentLogger } from '../../kernel/logger.js';
import { startDrydock } from '../../main.js';
import { AdminApi } from './admin-api.js';
import { demoClients, destroyClients } from './aws-clients.js';
import { managedDrainingMissing } from './capacity-provider-probe.js';
import { buildFleet, fleetNames, SERVICE_TASKS, startInstanceRefresh, type DrainMode, type Fleet } from './fleet.js';
import { HttpLoad } from './http-load.js';
import { ProgressDisplay, timePrefix } from './progress-display.js';
import { summaryTable } from './summary.js';
import { Timeline } from './timeline.js';
import { sleep } from './wait.js';

export interface DemoOptions {
  endpoint?: string;
  managed?: boolean;
  timeScale: number;
  rate: number;
  concurrency: number;
  region: string;
  /** Wall seconds the whole demo may take before it gives up. */
  timeout: number;
  plain?: boolean;
  seed?: number;
  listenerPort: number;
}

const POLL_MS = 250;
/** Load before the refresh and after the fleet settles, so both ends are measured under traffic. */
const STEADY_MS = 2_000;

export async function runDemo(options: DemoOptions): Promise<void> {
  const display = new ProgressDisplay(process.stdout, !options.plain && process.stdout.isTTY === true);
  const mode: DrainMode = options.managed ? 'managed' : 'hook';
  const wallStart = Date.now();
  const wallMs = () => Date.now() - wallStart;

  let drydock: Drydock | undefined;
  let load: HttpLoad | undefined;
  let exitCode = 0;
  const stopOnSignal = () => {
    display.close();
    console.error('\ndrydock demo: interrupted, stopping drydock…');
    void (async () => {
      await load?.stop();
      await drydock?.close();
      process.exit(130);
    })();
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  try {
    let endpoint = options.endpoint;
    if (endpoint === undefined) {
      drydock = await startDrydock({
        port: 0,
        state: 'memory',
        clock: 'real',
        timeScale: options.timeScale,
        seed: options.seed,
        logger: silentLogger,
      });
      endpoint = drydock.url;
    }
    const admin = new AdminApi(endpoint);
    let clock;
    try {
      clock = await admin.clock();
    } catch (error) {
      throw new DemoCannotRun(
        `drydock is not answering at ${endpoint} (${(error as Error).message}). Start it with: drydock up`,
      );
    }
    if (clock.mode !== 'real') {
      throw new DemoCannotRun(
        `the drydock at ${endpoint} runs a virtual clock; the demo needs real processes and sockets (drydock up --time-scale 60).`,
      );
    }
    const timeScale = clock.timeScale;
    const simStart = clock.nowMs;
    const inProcess = drydock;
    // drydock time: its own clock in-process; over HTTP, estimated from the scale (read once).
    const simNow = inProcess ? () => inProcess.clock.now() : () => simStart + (Date.now() - wallStart) * timeScale;
    // The SDK's notice about its releases of 2027 and Node.js 20 would land in the middle of the story.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const clients = demoClients(endpoint, options.region);
    // New names each run, so runs against one long-lived drydock (--endpoint) do not collide.
    const names = fleetNames(`drydock-demo-${runSuffix()}`);

    display.line(
      `drydock demo — seed 000's ECS fleet refreshed under load, ` +
        (mode === 'hook' ? 'drained by a lifecycle hook and the drain function' : "drained by ECS's managed draining"),
    );
    display.line(
      `drydock ${drydock ? 'in-process' : 'at'} ${endpoint}, clock ${timeScale}× wall time ` +
        `(a 300 s heartbeat timeout lasts ${(300 / timeScale).toFixed(1)} s)`,
    );

    if (mode === 'managed') {
      const missing = await managedDrainingMissing(clients.ecs, names.prefix, options.region);
      if (missing) throw new DemoCannotRun(`--managed needs ECS capacity providers with managed draining: ${missing}`);
    }

    display.line('');
    display.line('building it through the AWS API:');
    const fleet: Fleet = await buildFleet({
      clients,
      admin,
      names,
      mode,
      timeScale,
      drainDir: drainFunctionDir(),
      listenerPort: options.listenerPort,
      say: (text) => display.line(`  · ${text}`),
    });

    load = new HttpLoad(fleet.listenerUrl, options.rate, options.concurrency);
    const activeLoad = load;
    load.start();
    const loadStartedAt = Date.now();
    display.line(
      `  · load: ${options.rate} requests/s over up to ${options.concurrency} keep-alive connections to ${fleet.listenerUrl}`,
    );

    const timeline = new Timeline(
      clients,
      admin,
      fleet,
      (entry) => display.line(`${timePrefix(wallMs(), entry.atMs - simStart)}  ${entry.text}`),
      simNow,
    );
    load.onFailure = (reason) =>
      display.line(`${timePrefix(wallMs(), simNow() - simStart)}  ✘ request failed: ${reason}`);
    await sleep(STEADY_MS);
    await timeline.poll(); // learn the fleet as it is, without narrating it

    display.line('');
    display.line('the refresh: a new launch template version (a new AMI) rolled out one instance at a time');
    display.line(`  wall   drydock  what happened`);
    timeline.narrating = true;
    await startInstanceRefresh(clients, names);

    const deadline = wallStart + options.timeout * 1000;
    // The rate over the last few seconds: answers (ok or failed) per second.
    const answered = () => activeLoad.stats.ok + activeLoad.stats.failed;
    const window: Array<{ at: number; answered: number }> = [{ at: loadStartedAt, answered: 0 }];
    const progress = () => {
      const now = Date.now();
      window.push({ at: now, answered: answered() });
      while (window.length > 2 && now - window[0]!.at > 3_000) window.shift();
      const first = window[0]!;
      const rate = now > first.at ? ((answered() - first.answered) * 1000) / (now - first.at) : 0;
      display.update({
        refreshStatus: timeline.facts.refresh.status ?? 'Pending',
        percentComplete: timeline.facts.refresh.percentComplete,
        ok: activeLoad.stats.ok,
        failed: activeLoad.stats.failed,
        requestsPerSecond: rate,
        wallMs: wallMs(),
        simulatedMs: simNow() - simStart,
      });
    };
    let settled = false;
    while (Date.now() < deadline) {
      await timeline.poll();
      progress();
      if (timeline.settled(SERVICE_TASKS)) {
        settled = true;
        break;
      }
      await sleep(POLL_MS);
    }
    if (settled) {
      await sleep(STEADY_MS);
      await timeline.poll();
      progress();
    }
    await load.stop();
    timeline.finish();
    const simEnd = inProcess ? inProcess.clock.now() : (await admin.clock()).nowMs;
    display.close();

    console.log('');
    console.log('summary');
    console.log(
      summaryTable({
        mode,
        load: load.stats,
        facts: timeline.facts,
        wallMs: wallMs(),
        simulatedMs: simEnd - simStart,
        timeScale,
      }),
    );
    console.log('');
    const refreshOk = timeline.facts.refresh.status === 'Successful';
    if (!settled) {
      console.log(
        `✘ the fleet did not settle within ${options.timeout} s of wall time ` +
          `(refresh ${timeline.facts.refresh.status ?? 'not started'}, ${timeline.facts.refresh.statusReason ?? ''})`,
      );
    } else if (!refreshOk) {
      console.log(
        `✘ the instance refresh ended ${timeline.facts.refresh.status}: ${timeline.facts.refresh.statusReason ?? ''}`,
      );
    }
    console.log(
      `${load.stats.failed === 0 ? '✔' : '✘'} ${load.stats.ok.toLocaleString('en-US')} requests served, ` +
        `${load.stats.failed} failed requests`,
    );
    // A lifecycle action that ended on its timeout means the drain did not do its job, even if no request failed.
    const timedOut = [...timeline.facts.actions.values()].filter((action) =>
      action.how?.startsWith('heartbeat timeout'),
    );
    if (timedOut.length > 0) {
      console.log(`✘ ${timedOut.length} lifecycle action(s) ended on the hook's timeout, not by the drain`);
    }
    exitCode = load.stats.failed === 0 && settled && refreshOk && timedOut.length === 0 ? 0 : 1;
    destroyClients(clients);
  } catch (error) {
    display.close();
    if (error instanceof DemoCannotRun) {
      console.error(`drydock demo: ${error.message}`);
      exitCode = 2;
    } else {
      console.error(`drydock demo failed: ${(error as Error).stack ?? String(error)}`);
      exitCode = 1;
    }
  } finally {
    await load?.stop();
    await drydock?.close();
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
  }
  process.exit(exitCode);
}

/** Four hex digits. */
function runSuffix(): string {
  return Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
}

/** What makes the demo impossible (as opposed to a demo that ran and failed). */
class DemoCannotRun extends Error {}

/** controllers/drain, beside src/ (and beside dist/ when built): the demo deploys it from there. */
function drainFunctionDir(): string {
  return decodeURIComponent(new URL('../../../controllers/drain/', import.meta.url).pathname);
}
