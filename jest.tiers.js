/**
 * The two test tiers. `npm test` (fast) runs every test file except the full-tier ones;
 * `npm run test:e2e` (full) runs only those: files named *.e2e.test.ts, plus the heavy
 * end-to-end files listed here (kept at their paths so the tree still mirrors src/).
 */
const HEAVY = [
  'test/e2e/kill.test.ts', // kills at many points; test/execute/data/kill-resume stays in the fast tier
  'test/e2e/types.test.ts', // postgres-meta against every fixture; types-catalog stays fast
  'test/e2e/security-cli.test.ts', // the CLI over the security flow; security-apply stays fast
  'test/action/action.test.ts', // the Action's jobs in real git repositories; action/* unit files stay fast
  'test/plan/evolve/evolution.test.ts', // seven revisions on both targets; execute/evolve-executor stays fast
  'test/e2e/vectors.test.ts', // pgvector end to end; e2e/vectors-rules stays fast
  'test/e2e/roundtrip.test.ts', // three fixtures on both targets; cli/demo, execute/executor and execute/data/roundtrip stay fast
  'test/validate/security-matrix.test.ts', // the example's matrix on both targets; validate/security-patterns and cli/demo stay fast
  'test/validate/lints.test.ts', // every lint on a spoiled target; cli/demo (0 lints caused by the plan) stays fast
  'test/render/diff.test.ts', // the PR comment on both targets; render/diff-cli stays fast
  'test/e2e/types-unseen.test.ts', // postgres-meta on the unseen-types fixture; e2e/types-catalog stays fast
];

const E2E_PATTERN = '\\.e2e\\.test\\.ts$';
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const heavyPatterns = HEAVY.map((f) => `/${escape(f)}$`);

module.exports = { E2E_PATTERN, heavyPatterns };
