import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { applySummary } from '../cli/render';
import type { Output } from '../render/output';
import { ConnectionNeeded, layoutOf } from '../commands/project';
import { planDiffProject } from '../commands/plan-diff';
import { applyProject } from '../commands/apply';
import { validateProject } from '../commands/validate';
import { describeError, UserError } from '../errors';
import { lockFile } from '../render';
import type { PlanChange } from '../render/diff';
import { planChangeMarkdown } from '../render/diff-markdown';
import { loadSpec } from '../spec';
import type { Spec } from '../spec/types';
import { commentMarker, IssueComments, noteApplied, upsertComment } from './github';
import { withTls } from './tls';
import {
  appendSummary,
  baseRef,
  isDefaultBranchPush,
  pullRequestNumber,
  runnerContext,
  writeOutputs,
  type RunnerContext,
} from './runner';

export type ActionCommand = 'plan' | 'apply';

interface SpecOutcome {
  code: number;
  markdown: string;
  change: PlanChange | null;
  planHash: string | null;
  executed: number;
  /** The HTML report validate wrote after the apply (absolute), when it ran. */
  report?: string;
}

/**
 * The GitHub Action: on a pull request, plan each spec against the PR's base and keep one comment
 * per spec up to date; on a push to the default branch, apply. Returns the exit code the CLI
 * would: 2 for input a person must fix, 1 for a failure while working.
 */
export async function runAction(env: NodeJS.ProcessEnv, out: Output): Promise<number> {
  const ctx = runnerContext(env);
  const command = chooseCommand(env.INPUT_COMMAND ?? 'auto', ctx);
  const cwd = resolve(env.INPUT_WORKING_DIRECTORY || '.');
  const specs = (env.INPUT_SPEC || 'migration.yaml')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const pr = pullRequestNumber(ctx);
  const token = env.INPUT_GITHUB_TOKEN || env.GITHUB_TOKEN || '';
  const comments = pr !== null && token && ctx.repository ? new IssueComments(ctx.apiUrl, ctx.repository, token) : null;
  if (pr !== null && !comments)
    out.error('warning: no github-token or repository: the plan goes to the job summary only');
  const outcomes: SpecOutcome[] = [];
  const expected = (env.INPUT_EXPECTED_PLAN_HASH ?? '').trim();
  if (command === 'apply' && expected !== '') {
    const refusal = reviewedPlanRefusal(specs, cwd, expected);
    if (refusal) {
      out.error(`error: ${describeError(refusal)}`);
      appendSummary(ctx, failureMarkdown('apply', specs.join(', '), refusal));
      writeOutputs(ctx, { 'has-changes': 'false', destructive: 'false', 'plan-hash': '' });
      return 2;
    }
  }
  for (const specPath of specs) {
    out.line(`supamigrate ${command}: ${specPath}`);
    const outcome = command === 'plan' ? await planOne(specPath, cwd, ctx) : await applyOne(specPath, cwd, env, out);
    appendSummary(ctx, outcome.markdown);
    if (comments && pr !== null && command === 'plan') {
      try {
        const r = await upsertComment(
          comments,
          pr,
          commentMarker(specPath),
          `${commentMarker(specPath)}\n${outcome.markdown}`,
        );
        out.line(`${r.action} comment ${r.id} on #${pr}`);
      } catch (err) {
        out.error(`error: ${describeError(err)}`);
        outcome.code = Math.max(outcome.code, 1);
      }
    }
    if (outcome.code !== 0) out.error(`supamigrate ${command} ${specPath}: exit ${outcome.code}`);
    outcomes.push(outcome);
  }
  if (command === 'apply') await linkReports(env, ctx, specs, outcomes, out);
  writeOutputs(ctx, outputsOf(outcomes, command));
  return Math.max(0, ...outcomes.map((o) => o.code));
}

/** The merged pull request's comment links to the run holding the reports; a failure here only warns. */
async function linkReports(
  env: NodeJS.ProcessEnv,
  ctx: RunnerContext,
  specs: string[],
  outcomes: SpecOutcome[],
  out: Output,
): Promise<void> {
  const token = env.INPUT_GITHUB_TOKEN || env.GITHUB_TOKEN || '';
  const sha = env.GITHUB_SHA || '';
  const run = runUrl(env);
  if (!token || !ctx.repository || !sha || !run || !outcomes.some((o) => o.report)) return;
  const client = new IssueComments(ctx.apiUrl, ctx.repository, token);
  try {
    for (const pr of await client.pullsOf(sha)) {
      for (const [i, o] of outcomes.entries()) {
        if (!o.report) continue;
        const verdict = o.code === 0 ? 'validation passed' : 'validation failed';
        const line = `Applied at \`${sha.slice(0, 7)}\`: ${verdict}; [the report is attached to the run](${run}#artifacts).`;
        await noteApplied(client, pr, commentMarker(specs[i]), line);
        out.line(`linked the report from #${pr}`);
      }
    }
  } catch (err) {
    out.error(
      `warning: the report is attached to the run, but the pull request could not link it: ${describeError(err)}`,
    );
  }
}

function chooseCommand(input: string, ctx: RunnerContext): ActionCommand {
  if (input === 'plan' || input === 'apply') return input;
  if (input !== 'auto')
    throw new UserError(
      `command must be plan, apply or auto, not \`${input}\``,
      'set `with: command: plan` (or apply) in the workflow',
    );
  return isDefaultBranchPush(ctx) ? 'apply' : 'plan';
}

async function planOne(specPath: string, cwd: string, ctx: RunnerContext): Promise<SpecOutcome> {
  const ref = baseRef(ctx);
  try {
    // A pull request's plan reads no database URL: forks' pull requests get no secrets.
    const spec = loadSpec(resolve(cwd, specPath), {}, { connections: 'offline' });
    const change = await planDiffProject(spec, ref, { fetch: true });
    // Files that differ from the spec's plan would be refused by apply after the merge: say so now.
    const code = change.outOfDate.length > 0 ? 2 : 0;
    const limit = 65_536 - commentMarker(specPath).length - 1;
    return {
      code,
      markdown: planChangeMarkdown(change, { maxChars: limit - 500 }),
      change,
      planHash: change.planHash,
      executed: 0,
    };
  } catch (err) {
    return {
      code: exitCodeOf(err),
      markdown: failureMarkdown('plan', specPath, err),
      change: null,
      planHash: null,
      executed: 0,
    };
  }
}

async function applyOne(specPath: string, cwd: string, env: NodeJS.ProcessEnv, out: Output): Promise<SpecOutcome> {
  try {
    const spec = loadSpec(resolve(cwd, specPath), applyEnv(env), { connections: 'lazy' });
    const r = await applyProject(spec, {
      onStep: (s, i, n) => s.status !== 'skipped' && out.line(`  [${i + 1}/${n}] ${s.status} ${s.id}`),
    });
    const lines = applySummary(r);
    lines.forEach((l) => out.line(l));
    const checked = r.ok ? await validateAfterApply(spec, env, out) : null;
    const planHash = lockHashOf(spec);
    const markdown = [
      `### supamigrate apply: \`${specPath}\` ${r.ok ? 'succeeded' : 'failed'}`,
      '',
      `Plan hash \`${(planHash ?? '').slice(0, 16)}\``,
      '',
      '```',
      ...lines,
      '```',
      ...(checked ? ['', checked.markdown] : []),
    ].join('\n');
    const code = !r.ok ? 1 : checked && !checked.ok ? 1 : 0;
    return { code, markdown, change: null, planHash, executed: r.executed, report: checked?.report };
  } catch (err) {
    const shown = err instanceof ConnectionNeeded ? err.forCommand('apply') : err;
    return {
      code: exitCodeOf(shown),
      markdown: failureMarkdown('apply', relative(cwd, resolve(cwd, specPath)) || specPath, shown),
      change: null,
      planHash: null,
      executed: 0,
    };
  }
}

/**
 * Input `validate`: `true` (default) runs validate after a successful apply (schema, data,
 * security, storage and vectors as the plan has them) and writes the HTML report, which the
 * Action's next step attaches to the run; `performance` adds the timed workload; `false` skips it.
 */
async function validateAfterApply(
  spec: Spec,
  env: NodeJS.ProcessEnv,
  out: Output,
): Promise<{ ok: boolean; markdown: string; report?: string } | null> {
  const mode = (env.INPUT_VALIDATE || 'true').trim();
  if (mode === 'false') return null;
  if (mode !== 'true' && mode !== 'performance')
    throw new UserError(`validate must be true, false or performance, not \`${mode}\``, 'set `with: validate: true`');
  const v = await validateProject(spec, { performance: mode === 'performance', report: '' });
  const report = v.report ? resolve(spec.dir, v.report) : undefined;
  const verdict = v.ok ? 'passed' : 'failed: see the report';
  out.line(`validate ${verdict}${report ? `; report ${report}` : ''}`);
  const run = runUrl(env);
  const link = run ? ` ([report attached to the run](${run}#artifacts))` : '';
  return { ok: v.ok, markdown: `Validation after apply ${verdict}${report ? link : ''}.`, report };
}

const runUrl = (env: NodeJS.ProcessEnv): string | null =>
  env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
    : null;

const lockHashOf = (spec: Spec): string | null => {
  const lock = join(spec.dir, lockFile(layoutOf(spec)));
  return existsSync(lock) ? createHash('sha256').update(readFileSync(lock, 'utf8')).digest('hex') : null;
};

/** One hash for the run: the lock's hash for one spec, a hash of them all for several. */
const combinedHash = (hashes: string[]): string =>
  hashes.length === 1 ? hashes[0] : createHash('sha256').update(hashes.join('\n')).digest('hex');

/**
 * `expected-plan-hash`: the plan-hash the reviewed commit produced (the plan job's output). Apply
 * runs only when the locks here hash to the same value, so what runs is exactly what was reviewed.
 */
function reviewedPlanRefusal(specs: string[], cwd: string, expected: string): UserError | null {
  try {
    const hashes = specs.map((p) => lockHashOf(loadSpec(resolve(cwd, p), {}, { connections: 'offline' })) ?? '');
    const actual = hashes.every((h) => h) ? combinedHash(hashes) : '';
    if (actual === expected) return null;
    return new UserError(
      `the plan here (plan hash ${actual ? actual.slice(0, 16) : 'none: no plan lock'}) is not the reviewed plan (${expected.slice(0, 16)}); nothing was applied`,
      "apply the commit whose plan was reviewed: pass the plan job's plan-hash output of this same commit as " +
        'expected-plan-hash',
    );
  } catch (err) {
    return err instanceof UserError ? err : new UserError(String(err));
  }
}

/** Apply's environment: server URLs verified by TLS unless they or the workflow say otherwise. */
const applyEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  withTls(env, (env.INPUT_SSLMODE || 'verify-full').trim(), (env.INPUT_SSL_ROOT_CERT || '').trim());

const exitCodeOf = (err: unknown): number => (err instanceof UserError ? 2 : 1);

/** The comment a failed run leaves: what went wrong and how to fix it, never an empty space. */
function failureMarkdown(command: ActionCommand, specPath: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const fix = err instanceof UserError && err.fix ? `\n**Fix:** ${err.fix}\n` : '';
  const kind = err instanceof UserError ? 'The input needs fixing (exit 2).' : 'It failed while working (exit 1).';
  const fence = '`'.repeat(Math.max(3, ...[...message.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return [
    `### supamigrate ${command}: \`${specPath}\` could not be ${command === 'plan' ? 'planned' : 'applied'}`,
    '',
    kind,
    '',
    `${fence}text`,
    message,
    fence,
    fix,
  ].join('\n');
}

function outputsOf(outcomes: SpecOutcome[], command: ActionCommand): Record<string, string> {
  const hashes = outcomes.map((o) => o.planHash ?? '');
  const planHash = hashes.length === 1 ? hashes[0] : hashes.every((h) => h) ? combinedHash(hashes) : '';
  const hasChanges =
    command === 'plan' ? outcomes.some((o) => o.change?.hasChanges) : outcomes.some((o) => o.executed > 0);
  return {
    'has-changes': String(hasChanges),
    destructive: String(outcomes.some((o) => o.change?.destructive)),
    'plan-hash': planHash,
    // One path per line: the upload step takes them all.
    'report-path': outcomes.flatMap((o) => (o.report ? [o.report] : [])).join('\n'),
  };
}
