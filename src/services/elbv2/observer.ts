/**
 * What the data plane reports, recorded as facts (LoadBalancerObserver). A completed health check
 * moves the target's health (target-health.ts) and is written only when something changed;
 * connection and request counts stay in memory — a proxy reports them per request — except the
 * moment a draining target's count reaches zero, which completes its deregistration early and
 * is written. Listener bind outcomes are kept for `drydock status`.
 */
import type { Elbv2Context } from './context.js';
import type { LoadBalancerObserver, ProbeResult } from './ports.js';
import { targetKey } from './store.js';
import { applyProbe, completeDrain } from './target-health.js';

export function createObserver(ctx: Elbv2Context): LoadBalancerObserver {
  return {
    probeCompleted(targetGroupArn: string, targetId: string, targetPort: number, result: ProbeResult): void {
      const key = targetKey(targetGroupArn, targetId, targetPort);
      const target = ctx.tables.targets.get(key);
      const group = ctx.tables.targetGroups.get(targetGroupArn);
      if (!target || !group) return;
      const next = applyProbe(target, result, group.healthCheck, group.protocol === 'TCP');
      if (next !== target) ctx.tables.targets.put(key, next);
    },

    activityChanged(targetGroupArn: string, targetId: string, targetPort: number, activeCount: number): void {
      const key = targetKey(targetGroupArn, targetId, targetPort);
      if (activeCount > 0) {
        ctx.activity.set(key, activeCount);
        return;
      }
      ctx.activity.delete(key);
      const target = ctx.tables.targets.get(key);
      if (!target?.drain) return;
      const next = completeDrain(target, ctx.clock.now());
      if (next !== target) ctx.tables.targets.put(key, next);
    },

    listenerBound(listenerArn: string, address: string, port: number): void {
      const listener = ctx.tables.listeners.get(listenerArn);
      // A report for a port the listener no longer has is stale; a privileged port may be served
      // higher (the data plane's --privileged-port-offset), so only its own or a higher port counts.
      const current =
        listener?.port === port || (listener !== undefined && listener.port < 1024 && port > listener.port);
      if (!listener || !current || !ctx.listenerStates.has(listenerArn)) return;
      ctx.listenerStates.set(listenerArn, { state: 'bound', boundPort: port });
      ctx.logger.info({ listenerArn, address, port }, 'listener bound');
    },

    listenerBindFailed(listenerArn: string, message: string): void {
      if (!ctx.tables.listeners.has(listenerArn)) return;
      ctx.listenerStates.set(listenerArn, { state: 'failed', message });
      ctx.logger.warn({ listenerArn, message }, 'listener could not be bound');
    },
  };
}
