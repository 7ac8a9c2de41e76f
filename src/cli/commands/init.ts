import { UserError } from '../../errors';
import type { CliContext } from '../context';

/** `supamigrate init`. */
export function addInitCommand({ program, out, globals }: CliContext): void {
  program
    .command('init')
    .description('introspect the source and write a commented migration.yaml and .supamigrate/snapshot.json')
    .option('--dir <path>', 'folder to write into', '.')
    .option('--name <name>', 'project name used in file names')
    .option('--force', 'overwrite an existing migration.yaml')
    .action(async (o: { dir: string; name?: string; force?: boolean }) => {
      const source = globals().source;
      if (!source) throw new UserError('init needs the source database', 'pass --source <url>');
      const { initProject } = await import('../../commands/init');
      const r = await initProject({ source, dir: o.dir, name: o.name, force: o.force });
      out.line(`wrote ${r.specFile}`);
      out.line(`wrote ${r.snapshotFile}`);
      out.line(
        `${r.analysis.summary.tables} tables, complexity ${r.analysis.complexity.tier}; next: review migration.yaml, then \`supamigrate plan\``,
      );
    });
}
