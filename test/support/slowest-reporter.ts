/** A vitest reporter that prints the ten slowest tests at the end of a run (issue 14.11). */
import type { Reporter, TestCase } from "vitest/node";

export default class SlowestReporter implements Reporter {
  private readonly times: { name: string; ms: number }[] = [];

  onTestCaseResult(test: TestCase): void {
    const ms = test.diagnostic()?.duration ?? 0;
    this.times.push({ name: `${test.project.name} › ${test.module.moduleId.replace(process.cwd() + "/", "")} › ${test.name}`, ms });
  }

  onTestRunEnd(): void {
    const slowest = [...this.times].sort((a, b) => b.ms - a.ms).slice(0, 10);
    if (!slowest.length) return;
    console.log("\nOs 10 testes mais lentos:");
    for (const t of slowest) console.log(`  ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${t.name}`);
  }
}
