/**
 * The instance controller: moves each instance along EC2's state machine at the instants recorded
 * in the store. `planInstance` is pure (what is due now, or when to look again); the reconciler
 * applies it in one store transaction and asks the control loop to come back at the next
 * deadline: boot or shutdown completing, a Spot interruption notice running out, a terminated
 * instance's hour of visibility ending.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Reconciler, ReconcileResult } from '../../kernel/control-loop.js';
import type { Store, Table } from '../../store/store.js';
import { beginTermination, completeTransition, spotTermination, type InstanceRecord } from './instance.js';
import type { StateChangeNotifier } from './state-change-notification.js';
import { TERMINATED_RETENTION_MS, type Ec2Timings } from './timings.js';

export const INSTANCE_CONTROLLER = 'ec2-instances';

export type InstancePlan =
  | { kind: 'transition'; next: InstanceRecord }
  | { kind: 'purge' }
  | { kind: 'wait'; untilMs: number }
  | { kind: 'idle' };

export function planInstance(record: InstanceRecord, nowMs: number, timings: Ec2Timings): InstancePlan {
  if (record.state === 'terminated') {
    const purgeAtMs = (record.terminatedAtMs ?? nowMs) + TERMINATED_RETENTION_MS;
    return nowMs >= purgeAtMs ? { kind: 'purge' } : { kind: 'wait', untilMs: purgeAtMs };
  }
  const completed = completeTransition(record, nowMs);
  if (completed) return { kind: 'transition', next: completed };
  if (record.spotInterruptionAtMs !== undefined && nowMs >= record.spotInterruptionAtMs) {
    const next = beginTermination(record, nowMs, timings.shutdownMs, spotTermination());
    if (next) return { kind: 'transition', next };
  }
  const deadlines = [record.stateDueAtMs, record.spotInterruptionAtMs].filter((ms): ms is number => ms !== undefined);
  return deadlines.length > 0 ? { kind: 'wait', untilMs: Math.min(...deadlines) } : { kind: 'idle' };
}

export interface InstanceControllerDeps {
  store: Store;
  instances: Table<InstanceRecord>;
  clock: Clock;
  timings: Ec2Timings;
  notifier: StateChangeNotifier;
}

/** Transitions one reconcile may apply back to back (e.g. a boot and a Spot notice due together). */
const MAX_STEPS = 8;

export function instanceReconciler(deps: InstanceControllerDeps): Reconciler {
  return {
    name: INSTANCE_CONTROLLER,
    reconcile(key: string): ReconcileResult {
      return deps.store.transaction((): ReconcileResult => {
        for (let step = 0; step < MAX_STEPS; step += 1) {
          const record = deps.instances.get(key);
          if (!record) return;
          const nowMs = deps.clock.now();
          const plan = planInstance(record, nowMs, deps.timings);
          if (plan.kind === 'idle') return;
          if (plan.kind === 'purge') {
            deps.instances.delete(key);
            return;
          }
          if (plan.kind === 'wait') return { requeueAfterMs: plan.untilMs - nowMs };
          deps.notifier.stateChanged(key, record.state, plan.next);
          deps.instances.put(key, plan.next);
        }
        return { requeueAfterMs: 0 };
      });
    },
  };
}
