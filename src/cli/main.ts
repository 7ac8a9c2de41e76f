import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConnectionNeeded } from '../commands/project';
import { closeNamedPglite, parseDbUrl } from '../db';
import { describeError, UserError } from '../errors';
import { type ConnectionMode, loadSpec, RETIRED_SWITCHES } from '../spec';
import type { Spec } from '../spec/types';
import { ENGINE_VERSION } from '../version';
import { consoleOutput, type Output } from '../render/output';
import type { CliContext, Globals } from './context';
import { addInitCommand } from './commands/init';
import { addIntrospectCommand } from './commands/introspect';
import { addAnalyzeCommand } from './commands/analyze';
import { addPlanCommand } from './commands/plan';
import { addBootstrapCommand } from './commands/bootstrap';
import { addApplyCommand } from './commands/apply';
import { addSyncCommand } from './commands/sync';
import { addCutoverCommand } from './commands/cutover';
import { addStatusCommand } from './commands/status';
import { addRollbackCommand } from './commands/rollback';
import { addValidateCommand } from './commands/validate';
import { addDemoCommand } from './commands/demo';

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

  const ctx: CliContext = { program, out, setCode, globals, spec };
  addInitCommand(ctx);
  addIntrospectCommand(ctx);
  addAnalyzeCommand(ctx);
  addPlanCommand(ctx);
  addBootstrapCommand(ctx);
  addApplyCommand(ctx);
  addSyncCommand(ctx);
  addCutoverCommand(ctx);
  addStatusCommand(ctx);
  addRollbackCommand(ctx);
  addValidateCommand(ctx);
  addDemoCommand(ctx);
  return program;
}
