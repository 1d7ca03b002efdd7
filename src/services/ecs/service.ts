/**
 * The ECS service, assembled: its operation table for the gateway, the task controller and the
 * service scheduler on the control loop, the container agent's reaction to EC2 instance facts,
 * the listener the task runtime reports to, the answers behind the agent's task endpoints, and
 * task logs for `drydock logs`. main.ts builds it and wires its ports.
 */
import type { Clock } from '../../kernel/clock.js';
import type { ControlLoop } from '../../kernel/control-loop.js';
import type { Logger } from '../../kernel/logger.js';
import type { OperationTable } from '../../kernel/operation.js';
import type { Random } from '../../kernel/random.js';
import type { Store } from '../../store/store.js';
import type { InstanceStateChange } from '../ec2/ports.js';
import { createAgentApi } from './agent-api.js';
import { registerCapacityController } from './capacity-controller.js';
import { MANAGED_DRAINING_HOOK } from './capacity-provider.js';
import { clusterNameOf } from './cluster.js';
import { findContainerInstanceByEc2Id, instanceStateChanged } from './container-agent.js';
import { createContext, saveTask, taskKey, type EcsContext } from './context.js';
import { taskNotFound } from './errors.js';
import { ecsOperationTable } from './operations.js';
import type { AgentApi, EcsPorts, TaskRuntimeListener } from './ports.js';
import { registerServiceController } from './service-controller.js';
import { memberKey } from './store.js';
import { registerTaskController, createRuntimeListener, TASK_RECONCILER } from './task-controller.js';
import { requestStop } from './task-lifecycle.js';
import { taskIdOf, type TaskRecord } from './task.js';

export interface EcsServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
  controlLoop: ControlLoop;
  logger: Logger;
  ports: EcsPorts;
}

export interface EcsService {
  operations: OperationTable;
  /** EC2 facts: an instance reaching running whose user data has ECS_CLUSTER=<name> (else `default`) registers as a container instance of that cluster (if the cluster exists and is ACTIVE; else log and skip, as the agent would fail); stopped → agentConnected false; terminated → deregistered (INACTIVE), its tasks stopped. */
  instanceStateChanged(change: InstanceStateChange): void;
  runtimeListener: TaskRuntimeListener;
  agentApi: AgentApi;
  /** For `drydock logs` (admin API): the task's container logs through the runtime port; throws a ServiceError for an unknown task. */
  taskLogs(
    scope: { accountId: string; region: string },
    taskIdOrArn: string,
    cluster?: string,
  ): Array<{ containerName: string; lines: { atMs: number; stream: string; line: string }[] }>;
  /** The loopback address a registered EC2 instance's tasks listen on (ELBv2 sends instance targets' traffic there). */
  hostAddressOf(scope: { accountId: string; region: string }, ec2InstanceId: string): string | undefined;
  /**
   * Auto Scaling's `EC2 Instance-terminate Lifecycle Action` events (their `detail`: LifecycleHookName,
   * AutoScalingGroupName, EC2InstanceId, LifecycleActionToken): main.ts forwards each one. An
   * instance waiting on the managed-draining hook wakes its capacity provider at once, which
   * drains it (the provider also finds it on its own poll).
   */
  lifecycleActionStarted(scope: { accountId: string; region: string }, detail: Record<string, unknown>): void;
}

/** Why tasks found running when drydock starts are STOPPED: their processes ended with the last run. */
export const TASK_LOST_ON_RESTART = 'Task stopped because drydock restarted and its containers did not survive.';

export function createEcsService(deps: EcsServiceDeps): EcsService {
  const ctx = createContext({
    store: deps.store,
    clock: deps.clock,
    random: deps.random.fork('ecs'),
    logger: deps.logger.child({ service: 'ecs' }),
    ports: deps.ports,
  });
  registerTaskController(ctx, deps.controlLoop);
  recoverTasks(ctx, deps.controlLoop);
  registerServiceController(ctx, deps.controlLoop);
  const capacity = registerCapacityController(ctx, deps.controlLoop);
  return {
    operations: ecsOperationTable(ctx),
    instanceStateChanged: (change) => {
      try {
        instanceStateChanged(ctx, change);
      } catch (error) {
        // A fact EC2 reports must never break EC2; the failure is ECS's to log.
        ctx.logger.error(
          { err: error, ec2InstanceId: change.instanceId },
          'ECS failed to handle an instance state change',
        );
      }
    },
    lifecycleActionStarted: (scope, detail) => {
      const groupName = detail.AutoScalingGroupName;
      if (detail.LifecycleHookName !== MANAGED_DRAINING_HOOK || typeof groupName !== 'string') return;
      capacity.wakeGroup(scope, groupName);
    },
    runtimeListener: createRuntimeListener(ctx),
    agentApi: createAgentApi(ctx),
    hostAddressOf: (scope, ec2InstanceId) => findContainerInstanceByEc2Id(ctx, scope, ec2InstanceId)?.hostAddress,
    taskLogs: (scope, taskIdOrArn, cluster) => {
      const task = findTaskAnywhere(ctx, scope, taskIdOrArn, cluster);
      if (!task) throw taskNotFound();
      return ctx.ports.taskRuntime.logs(task.taskArn);
    },
  };
}

function findTaskAnywhere(
  ctx: EcsContext,
  scope: { accountId: string; region: string },
  taskIdOrArn: string,
  cluster: string | undefined,
): TaskRecord | undefined {
  const taskId = taskIdOf(taskIdOrArn);
  if (cluster !== undefined) {
    return ctx.tables.tasks.get(memberKey(scope.accountId, scope.region, clusterNameOf(cluster), taskId));
  }
  return ctx.tables.tasks.withPrefix(`${scope.accountId}/${scope.region}/`).find((task) => task.taskId === taskId);
}

/**
 * A restart finds the store as the last run left it: every task is reconciled again (STOPPED
 * retention and protection expiry are clock timers, which did not survive), and tasks whose
 * containers had been started are STOPPED, since their processes ended with that run.
 */
function recoverTasks(ctx: EcsContext, controlLoop: ControlLoop): void {
  for (const task of ctx.tables.tasks.values()) {
    if (task.lastStatus !== 'STOPPED' && task.runtimeStarted) {
      const stopping = requestStop(task, undefined, TASK_LOST_ON_RESTART, ctx.clock.now());
      saveTask(ctx, task, { ...stopping, hostLost: true }, stopping !== task);
    }
    controlLoop.enqueue(TASK_RECONCILER, taskKey(task));
  }
}
