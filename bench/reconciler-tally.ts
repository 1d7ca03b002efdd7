/**
 * Counts and times every reconcile of a control loop's reconcilers, per reconciler name, so the
 * virtual-time benchmarks can say where the wall time went.
 */
import type { ControlLoop } from '../src/kernel/control-loop.js';

export interface ReconcilerTally {
  count: number;
  ms: number;
}

/** Wraps reconcilers as they are registered; call before any service registers its own. */
export function tallyReconcilers(controlLoop: ControlLoop): Map<string, ReconcilerTally> {
  const tallies = new Map<string, ReconcilerTally>();
  const register = controlLoop.register.bind(controlLoop);
  controlLoop.register = (reconciler) => {
    const tally: ReconcilerTally = { count: 0, ms: 0 };
    tallies.set(reconciler.name, tally);
    register({
      name: reconciler.name,
      reconcile: (key) => {
        const from = performance.now();
        try {
          return reconciler.reconcile(key);
        } finally {
          tally.count += 1;
          tally.ms += performance.now() - from;
        }
      },
    });
  };
  return tallies;
}
