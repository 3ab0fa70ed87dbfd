import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import { createMember, startTestApp, type TestApp, type TestUser } from './test-app';

export interface ApiSuiteOptions {
  /** CRM_* settings over the test defaults (see `startTestApp`). */
  env?: Record<string, string>;
  /** Also create and sign in a member, as `member` (with these details, if given). */
  member?: true | Partial<Pick<TestUser, 'email' | 'name' | 'password'>>;
  /** A fresh app (and data directory) for every test instead of one for the whole block. */
  perTest?: boolean;
  /** How long the start-up may take (Jest's hook timeout), for blocks on big data sets. */
  timeoutMs?: number;
}

/**
 * The running app of a suite, filled in before the block's first test (or each test). The object
 * and its `member` stay the same, so a block may keep `const member = t.member` from the start.
 */
export type ApiSuite = TestApp & {
  /** The member signed in at start-up, when the suite asked for one. */
  member: TestUser;
};

/**
 * The API tier's one start-up: a real app on a real SQLite file in a fresh temporary directory,
 * with the admin (and a member, if asked) signed in; started before the block's first test and
 * closed, its directory removed, after its last. Call it at the top of a `describe` block and use
 * what it returns in the tests: `const t = apiSuite(); … t.http().get(…)`.
 */
export function apiSuite(options: ApiSuiteOptions = {}): ApiSuite {
  const suite = { member: {} } as ApiSuite;
  let running: TestApp | undefined;
  const [before, after] = options.perTest ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    running = await startTestApp(options.env);
    Object.assign(suite, { ...running, member: suite.member });
    if (options.member)
      Object.assign(
        suite.member,
        await createMember(running, options.member === true ? {} : options.member),
      );
  }, options.timeoutMs);
  after(async () => {
    await running?.close();
    running = undefined;
  }, options.timeoutMs);
  return suite;
}
