import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { analyzeProjectWithTarget, classifyProjectApi } from '../commands/analyze';
import { renderClassification } from '../plan/functions';
import { runDemo } from '../commands/demo';
import { initProject } from '../commands/init';
import { refreshSnapshot } from '../commands/introspect';
import { offlineStatus, planProject } from '../commands/plan';
import { ConnectionNeeded, requireUrl } from '../commands/project';
import { planDiffCommand } from './plan-diff';
import { applyProject, bootstrapTarget, rollbackProject, statusProject } from '../commands/target';
import { validateProject } from '../commands/validate';
import { renderAnalysis } from '../analyze';
import { closeNamedPglite, parseDbUrl } from '../db';
import { describeError, UserError } from '../errors';
import { type ConnectionMode, loadSpec, RETIRED_SWITCHES } from '../spec';
import type { Spec } from '../spec/types';
import { securityMatrixLines } from '../validate/security';
import { storageLines } from '../validate/storage';
import { leftOutLines, storageFilesSummary, transferLines } from '../execute/storage/report';
import { vectorLines } from '../validate/vectors';
import { performanceLines } from './performance-lines';
import { ENGINE_VERSION } from '../version';
import { consoleOutput, type Output } from '../render/output';
import { addOnlineCommands, onlinePreflightLines, releaseOnlineLines, syncStatusLines } from './online';
import { DataProgress, progressMode } from './progress';
import { INTERRUPTED_EXIT, resumeLines, withInterrupt } from './interrupt';
import {
  applySummary,
  differenceLines,
  offlineStatusLines,
  parityLines,
  rollbackLines,
  statusLines,
  stepLine,
} from './render';

interface Globals {
  spec: string;
  source?: string;
  target?: string;
  debug?: boolean;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure while working, 2 user error. */
export async function main(argv: string[], out: Output = consoleOutput): Promise<number> {
  let code = 0;
  let command = 'supamigrate';
  const program = buildProgram(out, (c) => (code = c));
  program.hook('preAction', (_program, action) => void (command = action.name()));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (thrown) {
    if (thrown instanceof CommanderError) return thrown.exitCode === 0 ? 0 : 2;
    const err = thrown instanceof ConnectionNeeded ? thrown.forCommand(command) : thrown;
    const debug = argv.includes('--debug');
    out.error(`error: ${describeError(err)}`);
    if (debug && err instanceof Error && err.stack) out.error(err.stack);
    return err instanceof UserError ? 2 : 1;
  } finally {
    await closeNamedPglite();
  }
}

function buildProgram(out: Output, setCode: (c: number) => void): Command {
  const program = new Command('supamigrate')
    .description('Migrate a PostgreSQL application onto Supabase from a declarative migration.yaml')
    .version(ENGINE_VERSION)
    .option('--spec <path>', 'the spec file', './migration.yaml')
    .option('--source <url>', 'source database URL (overrides the spec)')
    .option('--target <url>', 'target database URL (overrides the spec)')
    .option('--debug', 'show stack traces')
    .exitOverride()
    // Every subcommand's --help lists --spec, --source and --target too.
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: (s) => out.line(s.trimEnd()), writeErr: (s) => out.error(s.trimEnd()) });
  const globals = () => program.opts<Globals>();
  // URLs given as flags are checked before any command starts, so a typo never half-runs.
  program.hook('preAction', () => {
    const { source, target } = globals();
    if (source !== undefined) parseDbUrl(source, '--source');
    if (target !== undefined) parseDbUrl(target, '--target');
    for (const { variable, key } of RETIRED_SWITCHES) {
      if (process.env[variable] !== undefined)
        out.error(
          `warning: ${variable} is not read: the plan depends on the repository alone; set ${key} in the spec instead`,
        );
    }
  });
  // --source and --target override the spec, so they also stand in for the variables the spec
  // reads its URLs from: `apply --target X` works without exporting SUPABASE_DB_URL. Commands
  // that connect resolve URL variables lazily (an unset one fails only where it is needed);
  // plan, analyze and status --offline read none of them.
  const spec = (connections: ConnectionMode = 'lazy'): Spec => {
    const { source, target } = globals();
    const env = { ...process.env };
    if (source !== undefined) env.SOURCE_DATABASE_URL = source;
    if (target !== undefined) env.SUPABASE_DB_URL = target;
    return loadSpec(resolve(globals().spec), env, { connections });
  };

  program
    .command('init')
    .description('introspect the source and write a commented migration.yaml and .supamigrate/snapshot.json')
    .option('--dir <path>', 'folder to write into', '.')
    .option('--name <name>', 'project name used in file names')
    .option('--force', 'overwrite an existing migration.yaml')
    .action(async (o: { dir: string; name?: string; force?: boolean }) => {
      const source = globals().source;
      if (!source) throw new UserError('init needs the source database', 'pass --source <url>');
      const r = await initProject({ source, dir: o.dir, name: o.name, force: o.force });
      out.line(`wrote ${r.specFile}`);
      out.line(`wrote ${r.snapshotFile}`);
      out.line(
        `${r.analysis.summary.tables} tables, complexity ${r.analysis.complexity.tier}; next: review migration.yaml, then \`supamigrate plan\``,
      );
    });

  program
    .command('introspect')
    .description("refresh .supamigrate/snapshot.json from the spec's source")
    .action(async () => {
      const r = await refreshSnapshot(spec(), { source: globals().source });
      out.line(`${r.written ? 'wrote' : 'unchanged'} ${r.file} (${r.snapshot.tables.length} tables)`);
    });

  program
    .command('analyze')
    .description('patterns, complexity, risks and estimated duration of the migration')
    .option('--json', 'machine-readable output')
    .option('--online', 'also check what an online migration needs from the source and the target (connects)')
    .action(async (o: { json?: boolean; online?: boolean }) => {
      if (o.online) await onlinePreflightLines(spec(), globals(), o.json === true, out);
      const offline = spec('offline');
      const a = await analyzeProjectWithTarget(offline, { target: globals().target });
      const api = classifyProjectApi(offline);
      const files = storageFilesSummary(offline);
      const storage = files.buckets.length > 0 ? { storageFiles: files } : {};
      if (o.json) out.json(api ? { ...a, api, ...storage } : { ...a, ...storage });
      else
        out.line(
          [
            renderAnalysis(a).trimEnd(),
            ...leftOutLines(files, { list: false }),
            ...(api ? ['', ...renderClassification(api)] : []),
          ].join('\n'),
        );
    });

  program
    .command('plan')
    .description('write the generated files (migrations, manifest)')
    .option('--check', 'write nothing; exit 1 when the committed files differ from what would be generated')
    .option(
      '--diff <git-ref>',
      'write nothing; show what changes since the plan committed at <git-ref> (for a pull request)',
    )
    .addOption(new Option('--format <format>', 'output of --diff').choices(['markdown', 'json']).default('markdown'))
    .option(
      '--base <git-ref>',
      'the committed plan an evolution file starts from (default: the default branch, else HEAD)',
    )
    .action(async (o: { check?: boolean; diff?: string; format: 'markdown' | 'json'; base?: string }) => {
      const offline = spec('offline');
      if (o.diff !== undefined) return planDiffCommand(offline, o.diff, o.format, globals().source, out);
      const r = planProject(offline, { check: o.check, base: o.base });
      if (o.check) {
        const problems = [...r.changed.map((f) => `  out of date: ${f}`), ...r.stale.map((f) => `  stale: ${f}`)];
        if (problems.length === 0)
          out.line(`plan is up to date (${r.plan.steps.length} steps, ${r.files.length} files)`);
        else {
          out.error(
            [
              'the committed plan differs from what the spec and snapshot generate:',
              ...problems,
              'run `supamigrate plan` and commit the result',
            ].join('\n'),
          );
          setCode(1);
        }
        return;
      }
      for (const f of r.changed) out.line(`wrote ${f}`);
      for (const f of r.stale) out.line(`stale (no longer generated, delete it): ${f}`);
      if (r.evolution) out.line(`evolution: ${r.evolution} moves a database from the committed plan to this one`);
      for (const line of r.rewrites) out.line(`  ${line}`);
      const skipped =
        r.skipped.length > 0
          ? `, ${r.skipped.length} source object${r.skipped.length === 1 ? '' : 's'} skipped on purpose (schema.skip_objects)`
          : '';
      out.line(
        `${r.plan.steps.length} steps in ${r.files.length} files${skipped}${r.changed.length === 0 ? ', nothing changed' : ''}`,
      );
      leftOutLines(storageFilesSummary(offline), { list: true }).forEach((l) => out.line(l));
      for (const line of r.names) out.line(line);
      const api = classifyProjectApi(offline);
      if (api) out.line(renderClassification(api, { brief: true }).join('\n'));
    });

  program
    .command('bootstrap')
    .description('make an empty Postgres (server or PGlite) Supabase-shaped for local work and tests')
    .action(async () => {
      const r = await bootstrapTarget(bootstrapUrl());
      out.line(
        r.created.length === 0 ? 'already Supabase-shaped: nothing created' : `created: ${r.created.join(', ')}`,
      );
    });

  program
    .command('apply')
    .description('apply the committed plan to the target, step by step with checkpoints')
    .option('--dry-run', 'run every step in one transaction and roll it back')
    .option('--verify', 'after applying, compare row counts and checksums of every table with the source')
    .option('--json', 'machine-readable output')
    .option('--allow-drift', 'apply even when objects the plan owns were changed outside supamigrate')
    .option('--online', "copy from a replication slot's snapshot, then `sync` and `cutover` (the source keeps running)")
    .action(
      async (o: { dryRun?: boolean; verify?: boolean; json?: boolean; allowDrift?: boolean; online?: boolean }) => {
        const progress = new DataProgress(progressMode(o.json, process.stdout.isTTY), out);
        let verified = null as Awaited<ReturnType<typeof validateProject>> | null;
        const r = await withInterrupt(out, (signal) =>
          applyProject(spec(), {
            signal,
            target: globals().target,
            source: globals().source,
            dryRun: o.dryRun,
            allowDrift: o.allowDrift,
            online: o.online,
            onData: progress.onEvent,
            onStep: o.json ? undefined : (s, i, n) => s.status !== 'skipped' && progress.print(stepLine(s, i, n)),
            // Verified while the copy's snapshot is held, so a live source is compared as the copy read it.
            whileSnapshotHeld: async (applied) => {
              if (o.verify && applied.ok && !o.dryRun)
                verified = await validateProject(spec(), {
                  source: globals().source,
                  target: globals().target,
                  data: true,
                });
            },
          }),
        );
        await progress.settle();
        if (r.interrupted) {
          if (o.json) out.json(r);
          else [...applySummary(r), ...resumeLines(r)].forEach((l) => out.error(l));
          return setCode(INTERRUPTED_EXIT);
        }
        if (o.json) out.json(verified ? { ...r, verify: verified.data } : r);
        else {
          applySummary(r).forEach((l) => out.line(l));
          transferLines(r.storage).forEach((l) => out.line(l));
          if (verified?.data) parityLines(verified.data.tables).forEach((l) => out.line(l));
        }
        if (!r.ok || (verified && !verified.ok)) setCode(1);
      },
    );

  addOnlineCommands(program, { out, spec, globals, setCode });

  program
    .command('status')
    .description('applied, pending and changed steps on the target')
    .option('--json', 'machine-readable output')
    .option('--steps', 'list every step, not only the summary per phase')
    .addOption(
      new Option('--offline', 'the committed plan and its lock only: no connection, no URL variable read').conflicts(
        'drift',
      ),
    )
    .option(
      '--drift',
      'also compare the objects the plan owns with the target as the last apply left them; exit 1 on drift',
    )
    .option('--sync', 'the online migration: lag, WAL the slot retains on the source, state of each table')
    .action(async (o: { json?: boolean; drift?: boolean; steps?: boolean; offline?: boolean; sync?: boolean }) => {
      if (o.sync) return syncStatusLines(spec(), globals(), o.json === true, out, setCode);
      if (o.offline) {
        const plan = offlineStatus(spec('offline'));
        if (o.json) out.json(plan);
        else offlineStatusLines(plan.steps, plan.lockProblem, o.steps === true).forEach((l) => out.line(l));
        return setCode(plan.lockProblem === null ? 0 : 1);
      }
      const r = await statusProject(spec(), { target: globals().target, drift: o.drift });
      if (o.json) out.json(r);
      else statusLines(r, { steps: o.steps }).forEach((l) => out.line(l));
      if (r.drift && r.drift.items.length > 0) setCode(1);
    });

  program
    .command('rollback')
    .description('undo applied steps, newest first')
    .addOption(
      new Option(
        '--to <checkpoint>',
        'keep this checkpoint (step id or number) and undo everything after it',
      ).conflicts('all'),
    )
    .option('--all', 'undo every applied step')
    .option('--json', 'machine-readable output')
    .action(async (o: { to?: string; all?: boolean; json?: boolean }) => {
      if (!o.to && !o.all) throw new UserError('rollback needs to know how far', 'pass --to <checkpoint> or --all');
      if (o.all) await releaseOnlineLines(spec(), globals(), out);
      const r = await rollbackProject(spec(), o.all ? { all: true } : { to: o.to as string }, {
        target: globals().target,
        onStep: o.json ? undefined : (id) => out.line(`undone ${id}`),
      });
      if (o.json) out.json(r);
      else rollbackLines(r).forEach((l) => out.line(l));
      if (!r.ok) setCode(1);
    });

  program
    .command('validate')
    .description(
      'compare the target with the source as the plan maps it: schema, data, access matrix and advisor lints',
    )
    .option('--schema', 'only the schema')
    .option('--data', 'only the data: row counts and checksums per table and key range')
    .option(
      '--security',
      'only the access matrix (every table x role x operation run as PostgREST would) and the advisor lints',
    )
    .option(
      '--storage',
      'only storage: objects against the manifests (count, size, checksum), rewritten references, bucket access',
    )
    .option(
      '--vectors',
      'only the vector columns: dimensions of every row, and recall@10 of the index against brute force on the source',
    )
    .option('--performance', 'only query performance: the workload timed on source and target, plans compared')
    .option('--report <path>', 'write the HTML report there (default with --performance: <state>/report/index.html)')
    .option('--json', 'machine-readable output')
    .action(
      async (o: {
        schema?: boolean;
        data?: boolean;
        security?: boolean;
        storage?: boolean;
        vectors?: boolean;
        performance?: boolean;
        report?: string;
        json?: boolean;
      }) => {
        const r = await validateProject(spec(), {
          source: globals().source,
          target: globals().target,
          schema: o.schema,
          data: o.data,
          security: o.security,
          storage: o.storage,
          vectors: o.vectors,
          performance: o.performance,
          report: o.report,
        });
        if (o.json) out.json(r);
        else {
          if (r.schema) differenceLines(r.schema.differences).forEach((l) => out.line(l));
          if (r.data) parityLines(r.data.tables).forEach((l) => out.line(l));
          if (r.security) securityMatrixLines(r.security).forEach((l) => out.line(l));
          if (r.storage) storageLines(r.storage).forEach((l) => out.line(l));
          if (r.vectors) vectorLines(r.vectors).forEach((l) => out.line(l));
          if (r.performance) performanceLines(r.performance).forEach((l) => out.line(l));
          if (r.report) out.line(`report: ${r.report}`);
        }
        if (!r.ok) setCode(1);
      },
    );

  program
    .command('demo')
    .description('run the whole flow on the shipped example, on two embedded databases')
    .option('--dir <path>', 'folder for the generated files (default: a new temporary folder)')
    .action(async (o: { dir?: string }) => {
      const r = await runDemo({ dir: o.dir, out });
      if (!r.ok) setCode(1);
    });

  /** bootstrap's target: the flag, else the spec's target (or SUPABASE_DB_URL), as apply finds it. */
  function bootstrapUrl(): string {
    const { target } = globals();
    if (target !== undefined) return target;
    const fix = 'pass --target <url>, export SUPABASE_DB_URL, or set target.url in migration.yaml';
    if (existsSync(resolve(globals().spec))) return requireUrl(undefined, spec(), 'target');
    if (process.env.SUPABASE_DB_URL) return process.env.SUPABASE_DB_URL;
    throw new UserError('bootstrap needs the target database', fix);
  }

  return program;
}
