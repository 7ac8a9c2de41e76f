import type { CliContext } from '../context';

/** `supamigrate demo`. */
export function addDemoCommand({ program, out, setCode }: CliContext): void {
  program
    .command('demo')
    .description('run the whole flow on the shipped example, on two embedded databases')
    .option('--dir <path>', 'folder for the generated files (default: a new temporary folder)')
    .action(async (o: { dir?: string }) => {
      const { runDemo } = await import('../../commands/demo');
      const r = await runDemo({ dir: o.dir, out });
      if (!r.ok) setCode(1);
    });
}
