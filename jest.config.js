/** Fast tier (`npm test`). Tests are TypeScript compiled on the fly; only *.test.ts files are tests. */
const { E2E_PATTERN, heavyPatterns } = require('./jest.tiers');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', E2E_PATTERN, ...heavyPatterns],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  testTimeout: 180000,
  // One PGlite image for the whole run (test/setup/global-setup.ts): no initdb per file.
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 2,
};
