/**
 * Load balancers and their listeners, converged: a load balancer becomes `active` at its
 * activeAtMs (a requeue on the clock), and every listener's socket is bound — or rebound after a
 * change of port — or unbound through the data plane. What was asked of the data plane is kept in
 * memory: sockets do not outlive the process, so after a restart every listener binds again.
 */
import type { ReconcileResult } from '../../kernel/control-loop.js';
import type { Elbv2Context } from './context.js';
import type { ListenerBinding } from './ports.js';

export const LOAD_BALANCER_RECONCILER = 'elbv2-load-balancers';
export const LISTENER_RECONCILER = 'elbv2-listeners';

export function reconcileLoadBalancer(ctx: Elbv2Context, loadBalancerArn: string): ReconcileResult {
  const lb = ctx.tables.loadBalancers.get(loadBalancerArn);
  if (!lb || lb.state !== 'provisioning') return;
  const nowMs = ctx.clock.now();
  if (nowMs < lb.activeAtMs) return { requeueAfterMs: lb.activeAtMs - nowMs };
  ctx.tables.loadBalancers.put(loadBalancerArn, { ...lb, state: 'active' });
}

export function createListenerReconciler(ctx: Elbv2Context) {
  /** listener ARN → the binding last handed to the data plane (JSON). */
  const bound = new Map<string, string>();
  return {
    name: LISTENER_RECONCILER,
    reconcile(listenerArn: string): ReconcileResult {
      const listener = ctx.tables.listeners.get(listenerArn);
      const lb = listener ? ctx.tables.loadBalancers.get(listener.loadBalancerArn) : undefined;
      if (!listener || !lb) {
        if (bound.delete(listenerArn)) {
          ctx.listenerStates.delete(listenerArn);
          ctx.ports.dataplane.unbindListener(listenerArn);
        }
        return;
      }
      const binding: ListenerBinding = {
        listenerArn,
        loadBalancerArn: lb.loadBalancerArn,
        protocol: listener.protocol,
        address: lb.address,
        port: listener.port,
      };
      const text = JSON.stringify(binding);
      if (bound.get(listenerArn) === text) return;
      bound.set(listenerArn, text);
      // Binding first: the data plane may report the outcome before bindListener returns.
      ctx.listenerStates.set(listenerArn, { state: 'binding' });
      try {
        ctx.ports.dataplane.bindListener(binding);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        ctx.listenerStates.set(listenerArn, { state: 'failed', message });
        ctx.logger.error({ err: error, listenerArn }, 'the data plane failed to bind a listener');
      }
    },
  };
}
