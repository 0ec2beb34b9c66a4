/**
 * A vitest reporter that prints the ten slowest tests at the end of a run (issue
 * 14.11), and the tests that passed only when run again (a project with `retry`),
 * so a flaky test is seen, not hidden.
 */
import type { Reporter, TestCase } from "vitest/node";

export default class SlowestReporter implements Reporter {
  private readonly times: { name: string; ms: number }[] = [];
  private readonly retried: string[] = [];

  onTestCaseResult(test: TestCase): void {
    const ms = test.diagnostic()?.duration ?? 0;
    const name = `${test.project.name} › ${test.module.moduleId.replace(process.cwd() + "/", "")} › ${test.name}`;
    this.times.push({ name, ms });
    if ((test.diagnostic()?.retryCount ?? 0) > 0 && test.result().state === "passed") this.retried.push(name);
  }

  onTestRunEnd(): void {
    if (this.retried.length) {
      console.log("\nPassaram só na segunda tentativa:");
      for (const name of this.retried) console.log(`  ${name}`);
    }
    const slowest = [...this.times].sort((a, b) => b.ms - a.ms).slice(0, 10);
    if (!slowest.length) return;
    console.log("\nOs 10 testes mais lentos:");
    for (const t of slowest) console.log(`  ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${t.name}`);
  }
}
