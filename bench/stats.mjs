/**
 * Small statistics for the bench: percentiles over recorded samples (nearest-rank,
 * so a reported p99 is a latency that really happened) and a compact summary that
 * goes into the printed table and the JSON results.
 */

/**
 * @typedef {{ n: number, min: number, mean: number, p50: number, p95: number, p99: number, max: number }} Summary
 */

/**
 * Nearest-rank percentile of an ascending-sorted array.
 * @param {number[]} sorted
 * @param {number} p  0 < p <= 100
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return /** @type {number} */ (sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]);
}

/**
 * @param {number[]} samples  milliseconds (any order; not modified)
 * @returns {Summary}
 */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = n ? sorted.reduce((s, x) => s + x, 0) / n : NaN;
  const round = (/** @type {number} */ x) => Math.round(x * 1000) / 1000;
  return {
    n,
    min: round(sorted[0] ?? NaN),
    mean: round(mean),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[n - 1] ?? NaN),
  };
}

/**
 * a / b to three significant digits (small throughput ratios stay readable); NaN
 * when either side is missing or b is zero.
 * @param {number} a
 * @param {number} b
 */
export function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return NaN;
  return Number((a / b).toPrecision(3));
}
