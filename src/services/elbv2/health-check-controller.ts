/**
 * The health-check controller: one key (`all`). `planHealthChecks` (pure over a snapshot) lists
 * the checks AWS would run — every target that is not draining, of every target group a load
 * balancer uses, whose instance (if any) is running — with the group's settings, `traffic-port`
 * resolved. When that set differs from the one last handed over, the data plane gets the new one
 * (LoadBalancerDataplanePort.setHealthChecks replaces the whole set).
 */
import type { ReconcileResult } from '../../kernel/control-loop.js';
import { targetGroupUsage, type Elbv2Context } from './context.js';
import { scopeOfArn } from './arns.js';
import { UNREACHABLE_TARGET_ADDRESS, type HealthCheckSpec, type Scope } from './ports.js';
import { targetsOf } from './store.js';
import { healthCheckTimingMs } from './target-group.js';

export const HEALTH_CHECK_RECONCILER = 'elbv2-health-checks';
export const ALL_HEALTH_CHECKS = 'all';

export function planHealthChecks(ctx: Elbv2Context): HealthCheckSpec[] {
  const specs: HealthCheckSpec[] = [];
  const usageByScope = new Map<string, Map<string, Set<string>>>();
  for (const group of ctx.tables.targetGroups.values()) {
    const scope: Scope = scopeOfArn(group.targetGroupArn) ?? { accountId: group.accountId, region: group.region };
    const scopeKey = `${scope.accountId}/${scope.region}`;
    let usage = usageByScope.get(scopeKey);
    if (!usage) {
      usage = targetGroupUsage(ctx, scope);
      usageByScope.set(scopeKey, usage);
    }
    if (!usage.has(group.targetGroupArn)) continue;
    const check = group.healthCheck;
    for (const target of targetsOf(ctx.tables, group.targetGroupArn)) {
      if (target.drain) continue;
      let address = target.id;
      if (group.targetType === 'instance') {
        if (ctx.ports.instances.instanceState(scope, target.id) !== 'running') continue;
        address = ctx.ports.instances.addressOf(scope, target.id) ?? UNREACHABLE_TARGET_ADDRESS;
      }
      specs.push({
        targetGroupArn: group.targetGroupArn,
        target: { targetGroupArn: group.targetGroupArn, id: target.id, address, port: target.port },
        protocol: check.protocol,
        port: check.port === 'traffic-port' ? target.port : Number(check.port),
        path: check.path ?? '/',
        matcher: check.matcher ?? '200-399',
        ...healthCheckTimingMs(check),
      });
    }
  }
  return specs;
}

export function createHealthCheckReconciler(ctx: Elbv2Context) {
  let lastSent: string | undefined;
  return {
    name: HEALTH_CHECK_RECONCILER,
    reconcile(): ReconcileResult {
      const specs = planHealthChecks(ctx);
      const text = JSON.stringify(specs);
      if (text === lastSent) return;
      lastSent = text;
      ctx.ports.dataplane.setHealthChecks(specs);
    },
  };
}
