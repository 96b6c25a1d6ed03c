import { appendFileSync } from 'node:fs';

/** Writes the run's totals where .ci/run can read them (JEST_SUMMARY_FILE). */
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.JEST_SUMMARY_FILE;
    if (!file) return;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    appendFileSync(file, `${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
