import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, `N passed, N failed, N skipped`, after Vitest's own report, so
 * that CI logs state the outcome in a form any reader (or tool) can take in at a glance.
 * Files that failed to load count as failed: a suite that cannot even start is not a pass.
 */
export default class SummaryReporter implements Reporter {
  private passed = 0;
  private failed = 0;
  private skipped = 0;

  onTestCaseResult(testCase: TestCase): void {
    const state = testCase.result().state;
    if (state === 'passed') this.passed += 1;
    else if (state === 'failed') this.failed += 1;
    else this.skipped += 1;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const brokenFiles = testModules.filter((m) => m.state() === 'failed' && m.children.size === 0).length;
    const failed = this.failed + brokenFiles + unhandledErrors.length;
    process.stdout.write(`\n${this.passed} passed, ${failed} failed, ${this.skipped} skipped\n`);
  }
}
