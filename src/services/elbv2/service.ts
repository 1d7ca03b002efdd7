/**
 * The ELBv2 service, assembled: its operation table for the gateway, the controllers on the
 * control loop (load balancers become active, listeners bind, drains end, health checks are
 * handed to the data plane), the routing decisions and the observer the data plane uses, the
 * ports Auto Scaling and ECS register targets through, and listener states for `drydock status`.
 * main.ts builds it and wires its ports. Every resource is enqueued at start, so deadlines kept
 * in the store (drains, provisioning) and listener sockets come back after a restart.
 */
import type { Clock } from '../../kernel/clock.js';
import type { ControlLoop } from '../../kernel/control-loop.js';
import type { Logger } from '../../kernel/logger.js';
import type { OperationTable } from '../../kernel/operation.js';
import type { Random } from '../../kernel/random.js';
import type { Change, Store } from '../../store/store.js';
import type { TargetGroupsPort } from '../autoscaling/ports.js';
import { scopeOfArn, arnPrefix } from './arns.js';
import { createContext, type Elbv2Context } from './context.js';
import { ALL_HEALTH_CHECKS, createHealthCheckReconciler, HEALTH_CHECK_RECONCILER } from './health-check-controller.js';
import { createAutoScalingPort, createTargetsPort, type TargetsPort } from './integration-ports.js';
import {
  createListenerReconciler,
  LISTENER_RECONCILER,
  LOAD_BALANCER_RECONCILER,
  reconcileLoadBalancer,
} from './load-balancer-controller.js';
import { createObserver } from './observer.js';
import { elbv2OperationTable } from './operations.js';
import type { Elbv2Ports, LoadBalancerObserver, RoutingApi } from './ports.js';
import { createRouting } from './routing.js';
import { targetGroupArnOfTargetKey } from './store.js';
import { reconcileTargetGroup, TARGET_GROUP_RECONCILER } from './target-group-controller.js';

export interface Elbv2ServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
  controlLoop: ControlLoop;
  logger: Logger;
  ports: Elbv2Ports;
}

export interface ListenerStatus {
  loadBalancerName: string;
  type: 'application' | 'network';
  listenerArn: string;
  protocol: string;
  port: number;
  address: string;
  state: 'bound' | 'binding' | 'failed';
  message?: string;
}

export interface Elbv2Service {
  operations: OperationTable;
  routing: RoutingApi;
  observer: LoadBalancerObserver;
  autoScalingPort: TargetGroupsPort;
  /** For ECS services: register/deregister task targets (ip or instance + port) and ask whether they drained. */
  targetsPort: TargetsPort;
  /** For `drydock status`. */
  listeners(): ListenerStatus[];
}

export function createElbv2Service(deps: Elbv2ServiceDeps): Elbv2Service {
  const ctx = createContext({
    store: deps.store,
    clock: deps.clock,
    random: deps.random.fork('elbv2-ids'),
    logger: deps.logger.child({ service: 'elbv2' }),
    ports: deps.ports,
  });
  registerControllers(ctx, deps.controlLoop);
  return {
    operations: elbv2OperationTable(ctx),
    routing: createRouting(ctx, deps.random.fork('elbv2-routing')),
    observer: createObserver(ctx),
    autoScalingPort: createAutoScalingPort(ctx),
    targetsPort: createTargetsPort(ctx),
    listeners: () => listenerStatuses(ctx),
  };
}

function registerControllers(ctx: Elbv2Context, controlLoop: ControlLoop): void {
  controlLoop.register({ name: LOAD_BALANCER_RECONCILER, reconcile: (key) => reconcileLoadBalancer(ctx, key) });
  controlLoop.register(createListenerReconciler(ctx));
  controlLoop.register({ name: TARGET_GROUP_RECONCILER, reconcile: (key) => reconcileTargetGroup(ctx, key) });
  controlLoop.register(createHealthCheckReconciler(ctx));

  const enqueueTargetGroupsOf = (arn: string) => {
    const scope = scopeOfArn(arn);
    if (!scope) return;
    for (const key of ctx.tables.targetGroups.keys()) {
      if (key.startsWith(arnPrefix(scope, 'targetgroup'))) controlLoop.enqueue(TARGET_GROUP_RECONCILER, key);
    }
  };
  // Level-triggered: any write that can change a decision asks for the reconciles that depend on it.
  ctx.store.onCommit((changes: readonly Change[]) => {
    let healthChecks = false;
    const scopes = new Set<string>();
    for (const change of changes) {
      if (change.service !== 'elbv2') continue;
      switch (change.table) {
        case 'loadBalancers':
          if (change.kind === 'put') controlLoop.enqueue(LOAD_BALANCER_RECONCILER, change.key);
          healthChecks = true;
          break;
        case 'listeners':
        case 'rules':
          if (change.table === 'listeners') controlLoop.enqueue(LISTENER_RECONCILER, change.key);
          scopes.add(change.key);
          healthChecks = true;
          break;
        case 'targetGroups':
        case 'targets': {
          const targetGroupArn = change.table === 'targets' ? targetGroupArnOfTargetKey(change.key) : change.key;
          controlLoop.enqueue(TARGET_GROUP_RECONCILER, targetGroupArn);
          healthChecks = true;
          break;
        }
      }
    }
    // A listener or rule changes which groups are in use: their targets' health may start over.
    const seen = new Set<string>();
    for (const arn of scopes) {
      const scope = scopeOfArn(arn);
      const key = scope ? `${scope.accountId}/${scope.region}` : arn;
      if (seen.has(key)) continue;
      seen.add(key);
      enqueueTargetGroupsOf(arn);
    }
    if (healthChecks) controlLoop.enqueue(HEALTH_CHECK_RECONCILER, ALL_HEALTH_CHECKS);
  });

  // After a restart: provisioning deadlines, drains and sockets are all converged again.
  for (const key of ctx.tables.loadBalancers.keys()) controlLoop.enqueue(LOAD_BALANCER_RECONCILER, key);
  for (const key of ctx.tables.listeners.keys()) controlLoop.enqueue(LISTENER_RECONCILER, key);
  for (const key of ctx.tables.targetGroups.keys()) controlLoop.enqueue(TARGET_GROUP_RECONCILER, key);
  controlLoop.enqueue(HEALTH_CHECK_RECONCILER, ALL_HEALTH_CHECKS);
}

function listenerStatuses(ctx: Elbv2Context): ListenerStatus[] {
  return ctx.tables.listeners.values().flatMap((listener): ListenerStatus[] => {
    const lb = ctx.tables.loadBalancers.get(listener.loadBalancerArn);
    if (!lb) return [];
    const bind = ctx.listenerStates.get(listener.listenerArn) ?? { state: 'binding' as const };
    return [
      {
        loadBalancerName: lb.name,
        type: lb.type,
        listenerArn: listener.listenerArn,
        protocol: listener.protocol,
        port: bind.boundPort ?? listener.port,
        address: lb.address,
        state: bind.state,
        ...(bind.message !== undefined ? { message: bind.message } : {}),
      },
    ];
  });
}
