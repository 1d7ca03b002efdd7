/**
 * A test rig for EC2 scenarios: the service on a VirtualClock with an in-memory store, a seeded
 * Random, and ports that record every event and state change. `call` invokes an operation the
 * way the gateway does (decoded input, request context); tests use it beside `clock.advanceBy`.
 */
import { ControlLoop } from '../../src/kernel/control-loop.js';
import { silentLogger } from '../../src/kernel/logger.js';
import type { RequestContext } from '../../src/kernel/operation.js';
import { seededRandom } from '../../src/kernel/random.js';
import { VirtualClock } from '../../src/kernel/virtual-clock.js';
import { openStore, type Store } from '../../src/store/store.js';
import type { AwsEventInput } from '../../src/services/events/ports.js';
import type { InstanceStateChange } from '../../src/services/ec2/ports.js';
import { createEc2Service, type Ec2Service, type Ec2Timings } from '../../src/services/ec2/service.js';
import { ec2Migrations } from '../../src/services/ec2/store.js';

export const SCOPE = { accountId: '123456789012', region: 'us-east-1' };

export const TEST_TIMINGS: Ec2Timings = { bootMs: 15_000, shutdownMs: 35_000, stopMs: 30_000, startMs: 15_000 };

export interface Rig {
  clock: VirtualClock;
  store: Store;
  controlLoop: ControlLoop;
  service: Ec2Service;
  events: AwsEventInput[];
  changes: InstanceStateChange[];
  call<O = Record<string, unknown>>(
    operation: string,
    input?: Record<string, unknown>,
    scope?: typeof SCOPE,
  ): Promise<O>;
  close(): Promise<void>;
}

export function createRig(options: { store?: Store; clock?: VirtualClock; timings?: Partial<Ec2Timings> } = {}): Rig {
  const clock = options.clock ?? new VirtualClock();
  const store = options.store ?? openStore({ location: 'memory', migrations: ec2Migrations });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  const events: AwsEventInput[] = [];
  const changes: InstanceStateChange[] = [];
  const service = createEc2Service({
    store,
    clock,
    random: seededRandom(7),
    controlLoop,
    logger: silentLogger,
    ports: {
      eventBus: { publish: (event) => events.push(event) },
      instanceStateListener: { instanceStateChanged: (change) => changes.push(change) },
    },
    timings: { ...TEST_TIMINGS, ...options.timings },
  });
  let requests = 0;
  return {
    clock,
    store,
    controlLoop,
    service,
    events,
    changes,
    async call(operation, input = {}, scope = SCOPE) {
      const handler = service.operations[operation];
      if (!handler) throw new Error(`EC2 does not implement ${operation}`);
      requests += 1;
      const context: RequestContext = {
        requestId: `req-${requests}`,
        accountId: scope.accountId,
        region: scope.region,
        serviceId: 'ec2',
        operationName: operation,
      };
      return (await handler(input as never, context)) as never;
    },
    async close() {
      await controlLoop.stop();
      clock.close();
      store.close();
    },
  };
}
