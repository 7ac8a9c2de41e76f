/**
 * The two test tiers. `npm test` (fast) runs every test file except the full-tier ones;
 * `npm run test:e2e` (full) runs only those: files named *.e2e.test.ts, plus the heavy
 * end-to-end files listed here (kept at their paths so the tree still mirrors src/).
 */
const HEAVY = [];

const E2E_PATTERN = '\\.e2e\\.test\\.ts$';
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const heavyPatterns = HEAVY.map((f) => `/${escape(f)}$`);

module.exports = { E2E_PATTERN, heavyPatterns };
