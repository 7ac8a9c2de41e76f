/** Full tier (`npm run test:e2e`): real-schema round trips, kill points, big data, browsers. */
const base = require('./jest.config');
const { E2E_PATTERN, heavyPatterns } = require('./jest.tiers');

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testRegex: [E2E_PATTERN, ...heavyPatterns],
  testMatch: undefined,
  testTimeout: 600000,
};
