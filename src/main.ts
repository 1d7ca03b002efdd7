/**
 * Composition root: picks the clock and randomness for the mode, opens the store with every
 * service's migrations, builds each service's operation table and serves them all through one
 * gateway. The only place that knows every layer; services meet each other only here.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Clock } from './kernel/clock.js';
import { ControlLoop } from './kernel/control-loop.js';
import { createLogger, type Logger } from './kernel/logger.js';
import { seededRandom, seedFromEntropy } from './kernel/random.js';
import { SystemClock } from './kernel/system-clock.js';
import { VirtualClock } from './kernel/virtual-clock.js';
import { autoscalingOperations } from './services/autoscaling/operations.js';
import { autoscalingMigrations } from './services/autoscaling/store.js';
import { ecsOperations } from './services/ecs/operations.js';
import { ecsMigrations } from './services/ecs/store.js';
import { openStore, type Store } from './store/store.js';
import type { AdminHooks } from './wire/admin.js';
import { Gateway } from './wire/gateway.js';

export interface DrydockConfig {
  host: string;
  port: number;
  /** `memory`, or the directory that holds drydock.sqlite. */
  state: string;
  clock: 'real' | 'virtual';
  /** Real clock only: drydock time runs this many times faster than wall time. */
  timeScale: number;
  /** Seeds every id and random choice; drawn from entropy when absent. */
  seed?: number;
  auth: 'any' | 'strict';
  /** access key id → secret, for `auth: 'strict'`. */
  accessKeys: Record<string, string>;
  accountId: string;
  /** Region of unsigned requests; signed ones use their credential scope's. */
  region: string;
  logLevel: string;
  logger?: Logger;
}

export const DEFAULT_CONFIG: DrydockConfig = {
  host: '127.0.0.1',
  port: 4566,
  state: '.drydock',
  clock: 'real',
  timeScale: 1,
  auth: 'any',
  accessKeys: { test: 'test' },
  accountId: '000000000000',
  region: 'us-east-1',
  logLevel: 'info',
};

export const VERSION: string = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string }
).version;

export interface Drydock {
  readonly config: DrydockConfig;
  readonly url: string;
  readonly address: AddressInfo;
  readonly clock: Clock;
  readonly store: Store;
  readonly seed: number;
  close(): Promise<void>;
}

export async function startDrydock(overrides: Partial<DrydockConfig> = {}): Promise<Drydock> {
  const config: DrydockConfig = { ...DEFAULT_CONFIG, ...overrides };
  const clock: Clock =
    config.clock === 'virtual' ? new VirtualClock() : new SystemClock({ timeScale: config.timeScale });
  const logger = config.logger ?? createLogger({ level: config.logLevel, clock });
  const seed = config.seed ?? seedFromEntropy();
  const random = seededRandom(seed);
  const store = openStore({
    location: config.state,
    migrations: [...autoscalingMigrations, ...ecsMigrations],
  });
  const controlLoop = new ControlLoop({ clock, logger: logger.child({ component: 'control-loop' }) });
  const startedAtMs = clock.now();

  const admin: AdminHooks = {
    health: () => ({ status: 'ok', version: VERSION }),
    status: () => ({
      version: VERSION,
      endpoint: gateway.url,
      clock: clockReport(),
      seed,
      state: store.location,
      auth: config.auth,
      accountId: config.accountId,
      startedAt: new Date(startedAtMs).toISOString(),
      controlLoop: controlLoop.stats(),
      resources: store.counts(),
      listeners: [],
    }),
    reset: () => store.reset(),
    clock: () => clockReport(),
    advanceClock:
      clock instanceof VirtualClock
        ? async ({ ms, untilIdle, limitMs }) => {
            const fromMs = clock.now();
            let firedCount = 0;
            let idle: boolean | undefined;
            if (ms !== undefined) firedCount += await clock.advanceBy(ms);
            if (untilIdle) {
              const result = await clock.runUntilIdle({ limitMs: limitMs ?? 48 * 3600_000 });
              firedCount += result.firedCount;
              idle = result.idle;
            }
            return { ...clockReport(), advancedMs: clock.now() - fromMs, firedTimers: firedCount, idle };
          }
        : undefined,
  };

  const gateway = new Gateway({
    host: config.host,
    port: config.port,
    accountId: config.accountId,
    defaultRegion: config.region,
    auth: { mode: config.auth, accessKeys: config.accessKeys },
    clock,
    random,
    logger: logger.child({ component: 'gateway' }),
    admin,
    services: {
      autoscaling: autoscalingOperations({ store }),
      ecs: ecsOperations({ store, clock }),
    },
  });

  function clockReport() {
    const nowMs = clock.now();
    return {
      mode: clock.mode,
      nowMs,
      now: new Date(nowMs).toISOString(),
      timeScale: config.clock === 'real' ? config.timeScale : 1,
      pendingTimers: clock.pendingTimerCount(),
    };
  }

  let address: AddressInfo;
  try {
    address = await gateway.listen();
  } catch (error) {
    store.close();
    clock.close();
    throw error;
  }

  return {
    config,
    url: gateway.url,
    address,
    clock,
    store,
    seed,
    async close() {
      await gateway.close();
      await controlLoop.stop();
      clock.close();
      store.close();
    },
  };
}
