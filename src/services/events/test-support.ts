/**
 * Scenario support for EventBridge tests: a fake EventTargetsPort that records what each target
 * received and can be told to fail, and `eventsScenario()`, which wires it to the real service,
 * store and control loop on a VirtualClock, so a test reads like the AWS docs it checks.
 */
import { ControlLoop } from '../../kernel/control-loop.js';
import { silentLogger } from '../../kernel/logger.js';
import type { RequestContext } from '../../kernel/operation.js';
import { seededRandom } from '../../kernel/random.js';
import { ServiceError } from '../../kernel/service-error.js';
import { VirtualClock } from '../../kernel/virtual-clock.js';
import { openStore, type Store } from '../../store/store.js';
import type { DeliveryLogEntry, EventsScope, EventTargetsPort } from './ports.js';
import { createEventsService, type EventsService } from './service.js';
import { eventsMigrations } from './store.js';

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
export const SCOPE: EventsScope = { accountId: ACCOUNT_ID, region: REGION };

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export interface Received {
  atMs: number;
  scope: EventsScope;
  targetArn: string;
  input: string;
  attributes?: Record<string, string>;
}

/** Targets as EventBridge sees them: each delivery is recorded; ARNs can be made to fail. */
export class FakeTargets implements EventTargetsPort {
  readonly received: Received[] = [];
  /** Every call, failed ones included. */
  readonly calls: Received[] = [];
  /** ARN → how many more deliveries fail (Infinity: all of them), and with what. */
  private readonly failures = new Map<string, { remaining: number; error: () => unknown }>();
  /** When set, only these ARNs exist. */
  existing: Set<string> | undefined;

  constructor(private readonly now: () => number) {}

  failNext(
    arn: string,
    times = Number.POSITIVE_INFINITY,
    error: () => unknown = () => new ServiceError('ServiceUnavailable', 'The target is down.'),
  ): void {
    this.failures.set(arn, { remaining: times, error });
  }

  /** Like failNext, but the target answers false instead of throwing. */
  refuseNext(arn: string, times = Number.POSITIVE_INFINITY): void {
    this.failures.set(arn, { remaining: times, error: () => false });
  }

  exists(_scope: EventsScope, targetArn: string): boolean {
    return this.existing === undefined || this.existing.has(targetArn);
  }

  deliver(scope: EventsScope, targetArn: string, input: string, attributes?: Record<string, string>): Promise<boolean> {
    const entry: Received = { atMs: this.now(), scope, targetArn, input, ...(attributes ? { attributes } : {}) };
    this.calls.push(entry);
    const failure = this.failures.get(targetArn);
    if (failure && failure.remaining > 0) {
      failure.remaining -= 1;
      const error = failure.error();
      if (error === false) return Promise.resolve(false);
      return Promise.reject(error);
    }
    this.received.push(entry);
    return Promise.resolve(true);
  }

  /** What targetArn received, each input parsed as JSON. */
  inputsOf(targetArn: string): unknown[] {
    return this.received
      .filter((entry) => entry.targetArn === targetArn)
      .map((entry) => JSON.parse(entry.input) as unknown);
  }
}

export interface EventsScenario {
  clock: VirtualClock;
  store: Store;
  controlLoop: ControlLoop;
  service: EventsService;
  targets: FakeTargets;
  deliveryLog: DeliveryLogEntry[];
  /** Calls an operation as the gateway would (no model validation). */
  call<T = Record<string, unknown>>(operation: string, input: Record<string, unknown>, scope?: EventsScope): Promise<T>;
  /** Lets every due timer run, up to limitMs of virtual time. */
  settle(limitMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function eventsScenario(options: { store?: Store; clock?: VirtualClock } = {}): EventsScenario {
  const clock = options.clock ?? new VirtualClock();
  const store = options.store ?? openStore({ location: 'memory', migrations: eventsMigrations });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  const targets = new FakeTargets(() => clock.now());
  const deliveryLog: DeliveryLogEntry[] = [];
  const service = createEventsService({
    store,
    clock,
    random: seededRandom(42),
    controlLoop,
    logger: silentLogger,
    ports: { targets, deliveryLog: (entry) => deliveryLog.push(entry) },
  });
  let requests = 0;
  return {
    clock,
    store,
    controlLoop,
    service,
    targets,
    deliveryLog,
    async call<T>(operation: string, input: Record<string, unknown>, scope: EventsScope = SCOPE): Promise<T> {
      const handler = service.operations[operation];
      if (!handler) throw new Error(`no operation ${operation}`);
      requests += 1;
      const context: RequestContext = {
        requestId: `request-${requests}`,
        accountId: scope.accountId,
        region: scope.region,
        serviceId: 'events',
        operationName: operation,
      };
      return (await handler(input as never, context)) as T;
    },
    async settle(limitMs = HOUR) {
      await clock.advanceBy(0);
      await clock.runUntilIdle({ limitMs });
    },
    async close() {
      await controlLoop.stop();
      clock.close();
      if (!options.store) store.close();
    },
  };
}
