/**
 * Small statistics for the bench: exact percentiles over raw latency samples (nearest rank, as
 * HdrHistogram-style tools report them) and medians of a few repeated measurements.
 */

/** All samples of several slices, sorted ascending. */
export function mergeSorted(slices: readonly Float64Array[]): Float64Array {
  const total = slices.reduce((sum, slice) => sum + slice.length, 0);
  const merged = new Float64Array(total);
  let at = 0;
  for (const slice of slices) {
    merged.set(slice, at);
    at += slice.length;
  }
  return merged.sort();
}

/** Nearest-rank percentile of ascending `sorted`; NaN when there are no samples. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function max(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}
