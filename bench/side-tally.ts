/**
 * One side of a side-by-side load measurement (drydock, a bare server, a proxy, a direct
 * connection): the measured slices' throughput and latency, and every bad answer, warm-up
 * included, with the first problem named.
 */
import type { SliceResult } from './load.js';
import { mergeSorted, percentile } from './stats.js';

export interface Side {
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  responses: number;
  /** non-2xx + connection errors/timeouts + wrong bodies, warm-up included. */
  bad: number;
  firstProblem?: string;
}

export class SideTally {
  readonly slices: SliceResult[] = [];
  private bad = 0;
  private responses = 0;
  private firstProblem: string | undefined;

  add(result: SliceResult, measured: boolean): void {
    if (measured) this.slices.push(result);
    this.responses += result.responses;
    this.bad += result.non2xx + result.errors + result.mismatches;
    if (this.firstProblem === undefined) {
      if (result.non2xx > 0) this.firstProblem = `status codes ${JSON.stringify(result.statusCodes)}`;
      else if (result.errors > 0)
        this.firstProblem = `errors: ${result.firstError ?? '?'} (${result.timeouts} timeouts)`;
      else if (result.mismatches > 0) this.firstProblem = `unexpected body: ${result.firstMismatch ?? '?'}`;
    }
  }

  side(): Side {
    const responses = this.slices.reduce((sum, s) => sum + s.responses, 0);
    const elapsedS = this.slices.reduce((sum, s) => sum + s.elapsedS, 0);
    const latencies = mergeSorted(this.slices.map((s) => s.latenciesMs));
    return {
      requestsPerS: elapsedS > 0 ? responses / elapsedS : Number.NaN,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      responses: this.responses,
      bad: this.bad,
      ...(this.firstProblem !== undefined ? { firstProblem: this.firstProblem } : {}),
    };
  }
}
