/**
 * Picks one of the candidates the control plane allows, by `load_balancing.algorithm.type`:
 * `round_robin` takes turns, `least_outstanding_requests` the fewest in flight (turns break ties),
 * `weighted_random` a draw (ALB weighs it by anomaly detection, not modelled: equal weights). NLB's
 * flow hash over the 5-tuple and TCP sequence number is, per connection, a random draw too.
 */
import type { Random } from '../../kernel/random.js';
import type { HttpRouteDecision, TargetEndpoint } from '../../services/elbv2/ports.js';

export type Algorithm = Extract<HttpRouteDecision, { kind: 'forward' }>['algorithm'];

export class TargetPicker {
  /** Next turn per target group (round robin and tie-breaking). */
  private readonly turns = new Map<string, number>();

  constructor(
    private readonly random: Random,
    /** Requests in flight to a target, for least_outstanding_requests. */
    private readonly outstanding: (target: TargetEndpoint) => number,
  ) {}

  pick(
    targetGroupArn: string,
    candidates: readonly TargetEndpoint[],
    algorithm: Algorithm | 'flow_hash',
  ): TargetEndpoint | undefined {
    const count = candidates.length;
    if (count <= 1) return candidates[0];
    switch (algorithm) {
      case 'weighted_random':
      case 'flow_hash':
        return candidates[this.random.int(0, count)];
      case 'least_outstanding_requests':
        return this.leastOutstanding(targetGroupArn, candidates);
      case 'round_robin':
      default:
        return candidates[this.nextTurn(targetGroupArn) % count];
    }
  }

  private leastOutstanding(targetGroupArn: string, candidates: readonly TargetEndpoint[]): TargetEndpoint {
    const count = candidates.length;
    // Start the scan at this group's turn so that, among equally busy targets, requests rotate.
    const start = this.nextTurn(targetGroupArn) % count;
    let best = candidates[start] as TargetEndpoint;
    let bestLoad = this.outstanding(best);
    for (let step = 1; step < count && bestLoad > 0; step++) {
      const candidate = candidates[(start + step) % count] as TargetEndpoint;
      const load = this.outstanding(candidate);
      if (load < bestLoad) {
        best = candidate;
        bestLoad = load;
      }
    }
    return best;
  }

  private nextTurn(targetGroupArn: string): number {
    const turn = this.turns.get(targetGroupArn) ?? 0;
    // Wraps well before losing integer precision; only the value modulo the group size matters.
    this.turns.set(targetGroupArn, turn >= 0x3fffffff ? 0 : turn + 1);
    return turn;
  }
}
