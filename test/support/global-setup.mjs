// One id per test run: every database and Redis key prefix of the run starts with it, and the
// teardown removes them all.
import { randomBytes } from 'node:crypto';

export default async function globalSetup() {
  process.env.YI_TEST_RUN ??= `yi_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
