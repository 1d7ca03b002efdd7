/**
 * The EC2 service: its operation table for the gateway, Auto Scaling's port onto it, and the
 * admin calls that inject what only AWS can do to an instance (a Spot interruption, a hardware
 * failure). Creating it registers the instance controller and re-queues every stored instance, so
 * transitions under way when drydock stopped complete after a restart.
 */
import type { Clock } from '../../kernel/clock.js';
import type { ControlLoop } from '../../kernel/control-loop.js';
import type { Logger } from '../../kernel/logger.js';
import type { OperationTable } from '../../kernel/operation.js';
import type { Random } from '../../kernel/random.js';
import { ServiceError } from '../../kernel/service-error.js';
import type { Store } from '../../store/store.js';
import type { Ec2Port } from '../autoscaling/ports.js';
import { autoScalingPort } from './autoscaling-port.js';
import { saveInstance, type Ec2Context } from './context.js';
import { failNow } from './instance.js';
import { INSTANCE_CONTROLLER, instanceReconciler } from './instance-controller.js';
import { requireInstances } from './lookup.js';
import { ec2Operations } from './operations.js';
import type { Ec2Ports } from './ports.js';
import { StateChangeNotifier } from './state-change-notification.js';
import { ec2Tables, resourceKey, type Scope } from './store.js';
import { DEFAULT_TIMINGS, SPOT_WARNING_MS, type Ec2Timings } from './timings.js';

export type { Ec2Timings } from './timings.js';
export { DEFAULT_TIMINGS } from './timings.js';
export { ec2Migrations } from './store.js';

export interface Ec2ServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
  controlLoop: ControlLoop;
  logger: Logger;
  ports: Ec2Ports;
  timings?: Partial<Ec2Timings>;
}

export interface Ec2Service {
  operations: OperationTable;
  autoScalingPort: Ec2Port;
  /** Admin: `EC2 Spot Instance Interruption Warning` now, termination 2 minutes later (on the clock). Throws ServiceError for an unknown instance. */
  interruptSpot(scope: Scope, instanceId: string): void;
  /** Admin: the instance fails abruptly (terminated at once, reason `Instance failure` / state reason Server.InternalError). */
  failInstance(scope: Scope, instanceId: string): void;
}

export function createEc2Service(deps: Ec2ServiceDeps): Ec2Service {
  const tables = ec2Tables(deps.store);
  const timings: Ec2Timings = { ...DEFAULT_TIMINGS, ...deps.timings };
  const logger = deps.logger.child({ service: 'ec2' });
  const notifier = new StateChangeNotifier({
    store: deps.store,
    instances: tables.instances,
    clock: deps.clock,
    ports: deps.ports,
    logger,
  });
  const ctx: Ec2Context = {
    store: deps.store,
    tables,
    clock: deps.clock,
    random: deps.random.fork('ec2'),
    timings,
    logger,
    notifier,
    controlLoop: deps.controlLoop,
  };
  deps.controlLoop.register(
    instanceReconciler({ store: deps.store, instances: tables.instances, clock: deps.clock, timings, notifier }),
  );
  for (const key of tables.instances.keys()) deps.controlLoop.enqueue(INSTANCE_CONTROLLER, key);

  return {
    operations: ec2Operations(ctx),
    autoScalingPort: autoScalingPort(ctx),

    interruptSpot(scope, instanceId) {
      const [record] = requireInstances(ctx, scope, [instanceId]);
      if (record!.state === 'shutting-down' || record!.state === 'terminated') {
        throw new ServiceError(
          'IncorrectInstanceState',
          `The instance '${instanceId}' is not in a state from which it can be interrupted.`,
        );
      }
      if (record!.spotInterruptionAtMs !== undefined) return;
      const key = resourceKey(scope, instanceId);
      const next = {
        ...record!,
        spotInterruptionAtMs: deps.clock.now() + SPOT_WARNING_MS,
        revision: record!.revision + 1,
      };
      notifier.spotWarning(key, next);
      saveInstance(ctx, record, next);
    },

    failInstance(scope, instanceId) {
      const [record] = requireInstances(ctx, scope, [instanceId]);
      const next = failNow(record!, deps.clock.now());
      if (next) saveInstance(ctx, record, next);
    },
  };
}
