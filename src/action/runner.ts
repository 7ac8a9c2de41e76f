import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';

/** The webhook payload's fields read here; what they hold is checked where they are used. */
export interface RunnerEvent {
  repository?: { full_name?: unknown; default_branch?: unknown };
  pull_request?: { number?: unknown; base?: { sha?: unknown } };
  before?: unknown;
  [key: string]: unknown;
}

/** What the GitHub runner tells a step, read from its environment (no other source of truth). */
export interface RunnerContext {
  eventName: string;
  event: RunnerEvent;
  repository: string;
  apiUrl: string;
  refName: string;
  outputFile: string | null;
  summaryFile: string | null;
}

export function runnerContext(env: NodeJS.ProcessEnv): RunnerContext {
  const eventPath = env.GITHUB_EVENT_PATH;
  let event: RunnerEvent = {};
  if (eventPath) {
    try {
      event = JSON.parse(readFileSync(eventPath, 'utf8')) as RunnerEvent;
    } catch (err) {
      throw new Error(`GITHUB_EVENT_PATH ${eventPath} cannot be read: ${(err as Error).message}`);
    }
  }
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    event,
    repository: env.GITHUB_REPOSITORY ?? String(event.repository?.full_name ?? ''),
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    refName: env.GITHUB_REF_NAME ?? '',
    outputFile: env.GITHUB_OUTPUT || null,
    summaryFile: env.GITHUB_STEP_SUMMARY || null,
  };
}

/** Appends step outputs in the runner's `name=value` file format (values here are one line). */
export function writeOutputs(ctx: RunnerContext, outputs: Record<string, string>): void {
  if (!ctx.outputFile) return;
  appendFileSync(
    ctx.outputFile,
    Object.entries(outputs)
      .map(([k, v]) =>
        k === 'report-path' && v.includes('\n') ? multiline(k, v) : `${k}=${v.replace(/[\r\n]+/g, ' ')}\n`,
      )
      .join(''),
  );
}

/** GitHub's form for a value of several lines: the name, a delimiter the value does not hold, the lines. */
function multiline(name: string, value: string): string {
  const delimiter = `supamigrate_${randomBytes(8).toString('hex')}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

export function appendSummary(ctx: RunnerContext, markdown: string): void {
  if (ctx.summaryFile) appendFileSync(ctx.summaryFile, `${markdown.trimEnd()}\n\n`);
}

export const pullRequestNumber = (ctx: RunnerContext): number | null =>
  ctx.eventName.startsWith('pull_request') && typeof ctx.event.pull_request?.number === 'number'
    ? ctx.event.pull_request.number
    : null;

/** The commit a plan is compared with: the pull request's base, or the commit before a push. */
export function baseRef(ctx: RunnerContext): string {
  const pr = ctx.event.pull_request?.base?.sha;
  if (typeof pr === 'string' && pr) return pr;
  const before = ctx.event.before;
  if (typeof before === 'string' && before && !/^0+$/.test(before)) return before;
  return 'HEAD^';
}

export const isDefaultBranchPush = (ctx: RunnerContext): boolean =>
  ctx.eventName === 'push' && ctx.refName !== '' && ctx.refName === ctx.event.repository?.default_branch;
