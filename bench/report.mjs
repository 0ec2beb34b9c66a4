/**
 * Printing for the bench: numbers rounded for reading and plain-text tables with
 * aligned columns, so the output can be pasted into an issue or a report as is.
 */

/** @param {number} x */
export function fmt(x) {
  if (!Number.isFinite(x)) return "–";
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString("en-US");
  if (Math.abs(x) >= 10) return x.toFixed(1);
  if (Math.abs(x) >= 1 || x === 0) return x.toFixed(2);
  return x.toPrecision(2);
}

/**
 * @param {string} title
 * @param {string[][]} rows  the first row is the header
 */
export function printTable(title, rows) {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length))) ?? [];
  const line = (/** @type {string[]} */ r) =>
    r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join("  ");
  console.log(`\n${title}`);
  console.log(line(rows[0] ?? []));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows.slice(1)) console.log(line(r));
}
