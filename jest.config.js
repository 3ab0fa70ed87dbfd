/** One Jest run for every suite: unit specs beside the code, API/crash/browser suites in test/. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
  },
];
const moduleNameMapper = {
  '^@crm/events$': '<rootDir>/libs/events/src/index.ts',
  '^@crm/domain$': '<rootDir>/libs/domain/src/index.ts',
  '^@crm/contracts$': '<rootDir>/libs/contracts/src/index.ts',
  '^@crm/migrations$': '<rootDir>/migrations/index.ts',
};
const common = { transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node' };
module.exports = {
  // Two suites at a time: a browser or API suite waits on Chromium, the server or fsync most of its
  // time, and Jest alone would run one suite at a time on a machine of two cores.
  maxWorkers: 2,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/src/**/*.spec.ts',
        '<rootDir>/apps/api/src/**/*.spec.ts',
        '<rootDir>/apps/web/src/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'api',
      // A spec starts a whole app (migrations, argon2 for its accounts): on a busy machine with two
      // suites at a time that can pass Jest's 5 s per test without anything being wrong.
      testTimeout: 30_000,
      testMatch: ['<rootDir>/test/api/**/*.e2e-spec.ts', '<rootDir>/test/integration/**/*.spec.ts'],
    },
    { ...common, displayName: 'fault', testMatch: ['<rootDir>/test/fault/**/*.spec.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.spec.ts'] },
  ],
};
