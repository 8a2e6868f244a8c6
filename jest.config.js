// One jest run for every kind of test (test/unit, test/integration, test/e2e, test/weapp, test/automator).
// `npm test` builds dist/ first: the integration, e2e and weapp tests run the built functions and pages.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } } }]
  },
  // A test is a journey through a local cloud (functions started cold, clocks moved over weeks): generous, so a
  // busy machine does not fail it, while a hang still fails.
  testTimeout: 90000,
  // 2-core machines: more workers than cores only slows the local clouds each test file starts.
  maxWorkers: 2
}
