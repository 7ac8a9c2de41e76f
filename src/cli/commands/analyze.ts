import type { CliContext } from '../context';

/** `supamigrate analyze`. */
export function addAnalyzeCommand({ program, out, globals, spec }: CliContext): void {
  program
    .command('analyze')
    .description('patterns, complexity, risks and estimated duration of the migration')
    .option('--json', 'machine-readable output')
    .option('--online', 'also check what an online migration needs from the source and the target (connects)')
    .action(async (o: { json?: boolean; online?: boolean }) => {
      const { analyzeProjectWithTarget, classifyProjectApi } = await import('../../commands/analyze');
      const { renderClassification } = await import('../../plan/functions');
      const { renderAnalysis } = await import('../../analyze');
      const { leftOutLines, storageFilesSummary } = await import('../../execute/storage/report');
      const { onlinePreflightLines } = await import('../online');
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
}
