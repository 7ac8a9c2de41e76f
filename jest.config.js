/** Fast tier (`npm test`). Tests are TypeScript compiled on the fly; only *.test.ts files are tests. */
const { E2E_PATTERN, heavyPatterns } = require('./jest.tiers');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', E2E_PATTERN, ...heavyPatterns],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  testTimeout: 180000,
  maxWorkers: 2,
};
