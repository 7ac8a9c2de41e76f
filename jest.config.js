/** Tests are TypeScript, compiled on the fly; database tests share one server, so files run in band-limited workers. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  testTimeout: 120000,
  maxWorkers: 2,
};
