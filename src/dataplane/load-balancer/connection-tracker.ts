/**
 * What each target carries right now: open connections (NLB) or requests in flight (ALB). ELB's
 * connection draining waits for them during `deregistration_delay`, `connection_termination`
 * closes them, `least_outstanding_requests` picks by them. Counts reach the control plane as
 * activityChanged, coalesced to one report per target per event-loop turn.
 */
import type { Logger } from '../../kernel/logger.js';
import type { LoadBalancerObserver, TargetEndpoint } from '../../services/elbv2/ports.js';

/** The identity ELBv2 gives a target: its target group, its id and its port. */
export function targetKey(targetGroupArn: string, id: string, port: number): string {
  return `${targetGroupArn}\n${id}\n${port}`;
}

export const endpointKey = (target: TargetEndpoint) => targetKey(target.targetGroupArn, target.id, target.port);

interface TargetActivity {
  readonly targetGroupArn: string;
  readonly id: string;
  readonly port: number;
  /** One entry per open flow; calling it tears the flow down. */
  readonly flows: Set<Flow>;
  /** The count the observer last heard. */
  reported: number;
}

/** One connection or request on its way to a target. */
export interface Flow {
  readonly target: TargetEndpoint;
  /** Tears the flow down (destroys its sockets); release() still has to be called by its owner. */
  readonly abort: () => void;
}

export class ConnectionTracker {
  private readonly targets = new Map<string, TargetActivity>();
  private readonly dirty = new Set<TargetActivity>();
  /** Where each target was last reached, so its idle pooled connections can be found. */
  private readonly addresses = new Map<string, string>();
  private flushScheduled = false;
  private closed = false;

  constructor(
    private readonly observer: () => LoadBalancerObserver,
    private readonly logger: Logger,
  ) {}

  /** Counts a new flow to `target`; `abort` is what closeTarget calls to end it. */
  open(target: TargetEndpoint, abort: () => void): Flow {
    const key = endpointKey(target);
    let activity = this.targets.get(key);
    if (!activity) {
      activity = {
        targetGroupArn: target.targetGroupArn,
        id: target.id,
        port: target.port,
        flows: new Set(),
        reported: 0,
      };
      this.targets.set(key, activity);
    }
    if (this.addresses.get(key) !== target.address) this.addresses.set(key, target.address);
    const flow: Flow = { target, abort };
    activity.flows.add(flow);
    this.markDirty(activity);
    return flow;
  }

  /** The flow ended (idempotent). */
  release(flow: Flow): void {
    const activity = this.targets.get(endpointKey(flow.target));
    if (activity?.flows.delete(flow)) this.markDirty(activity);
  }

  activeCount(target: TargetEndpoint): number {
    return this.targets.get(endpointKey(target))?.flows.size ?? 0;
  }

  addressOf(targetGroupArn: string, id: string, port: number): string | undefined {
    return this.addresses.get(targetKey(targetGroupArn, id, port));
  }

  /** Aborts every flow to the target (the end of a deregistration delay with connection termination). */
  closeTarget(targetGroupArn: string, id: string, port: number): number {
    const activity = this.targets.get(targetKey(targetGroupArn, id, port));
    if (!activity) return 0;
    const flows = [...activity.flows];
    for (const flow of flows) this.abortFlow(flow);
    return flows.length;
  }

  /** Aborts every flow to every target (shutdown). */
  closeEverything(): void {
    for (const activity of this.targets.values()) for (const flow of [...activity.flows]) this.abortFlow(flow);
  }

  private abortFlow(flow: Flow): void {
    try {
      flow.abort();
    } catch (error) {
      this.logger.warn({ err: error, targetId: flow.target.id }, 'closing a connection to a target failed');
    }
  }

  /** Stops reporting (the data plane shut down; the control plane may be gone too). */
  close(): void {
    this.closed = true;
    this.dirty.clear();
  }

  private markDirty(activity: TargetActivity): void {
    if (this.closed) return;
    this.dirty.add(activity);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // After this turn's I/O: every change the turn made becomes one report per target.
    setImmediate(() => this.flush());
  }

  /** Reports every changed count now (also what the scheduled flush does). */
  flush(): void {
    this.flushScheduled = false;
    const changed = [...this.dirty];
    this.dirty.clear();
    for (const activity of changed) {
      const count = activity.flows.size;
      if (count === 0) this.targets.delete(targetKey(activity.targetGroupArn, activity.id, activity.port));
      if (count === activity.reported) continue;
      activity.reported = count;
      try {
        this.observer().activityChanged(activity.targetGroupArn, activity.id, activity.port, count);
      } catch (error) {
        this.logger.error(
          { err: error, targetId: activity.id },
          'the load balancer observer failed on activityChanged',
        );
      }
    }
  }
}
