/** Tests are TypeScript compiled on the fly; only *.test.ts files are tests (helpers are not). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  testTimeout: 180000,
  maxWorkers: 2,
};
