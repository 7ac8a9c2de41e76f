import type { CliContext } from '../context';

/** `supamigrate introspect`. */
export function addIntrospectCommand({ program, out, globals, spec }: CliContext): void {
  program
    .command('introspect')
    .description("refresh .supamigrate/snapshot.json from the spec's source")
    .action(async () => {
      const { refreshSnapshot } = await import('../../commands/introspect');
      const r = await refreshSnapshot(spec(), { source: globals().source });
      out.line(`${r.written ? 'wrote' : 'unchanged'} ${r.file} (${r.snapshot.tables.length} tables)`);
    });
}
