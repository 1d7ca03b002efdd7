/**
 * The Auto Scaling service as the composition root sees it: its operation table, the group
 * controller registered on the control loop, and the door EC2 reports instance state changes
 * through. Every group is enqueued at start so deadlines recorded before a restart are kept.
 */
import type { Clock } from '../../kernel/clock.js';
import type { ControlLoop } from '../../kernel/control-loop.js';
import type { Logger } from '../../kernel/logger.js';
import type { OperationTable } from '../../kernel/operation.js';
import type { Random } from '../../kernel/random.js';
import type { Store } from '../../store/store.js';
import type { InstanceStateChange } from '../ec2/ports.js';
import type { AutoScalingGroupsPort } from '../ecs/ports.js';
import { createEcsCapacityPort } from './ecs-capacity-port.js';
import { groupKey } from './group.js';
import { GROUP_RECONCILER, GroupController } from './group-controller.js';
import { instanceKey } from './instance.js';
import { autoscalingOperations } from './operations.js';
import type { AutoScalingPorts } from './ports.js';
import { autoscalingTables } from './store.js';

export interface AutoScalingServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
  controlLoop: ControlLoop;
  logger: Logger;
  ports: AutoScalingPorts;
}

export interface AutoScalingService {
  operations: OperationTable;
  /** EC2 reports every committed instance state change here; the group that owns the instance is reconciled. */
  instanceStateChanged(change: InstanceStateChange): void;
  /** What ECS capacity providers do to their groups (main.ts binds ECS's AutoScalingGroupsPort to it). */
  ecsCapacityPort: AutoScalingGroupsPort;
}

export function createAutoScalingService(deps: AutoScalingServiceDeps): AutoScalingService {
  const tables = autoscalingTables(deps.store);
  const controller = new GroupController({
    store: deps.store,
    clock: deps.clock,
    random: deps.random.fork('autoscaling-controller'),
    ports: deps.ports,
    logger: deps.logger.child({ component: 'autoscaling' }),
  });
  deps.controlLoop.register({ name: GROUP_RECONCILER, reconcile: (key) => controller.reconcile(key) });
  const enqueue = (key: string) => deps.controlLoop.enqueue(GROUP_RECONCILER, key);
  for (const key of tables.groups.keys()) enqueue(key);

  const operations = autoscalingOperations({
    store: deps.store,
    clock: deps.clock,
    random: deps.random.fork('autoscaling-operations'),
    ports: deps.ports,
    enqueue,
  });

  return {
    operations,
    ecsCapacityPort: createEcsCapacityPort({ store: deps.store, operations, ec2: deps.ports.ec2 }),
    instanceStateChanged(change) {
      const instance = tables.instances.get(instanceKey(change.accountId, change.region, change.instanceId));
      const groupName = instance?.autoScalingGroupName ?? change.tags['aws:autoscaling:groupName'];
      if (groupName === undefined) return;
      const key = groupKey(change.accountId, change.region, groupName);
      if (tables.groups.has(key)) enqueue(key);
    },
  };
}
