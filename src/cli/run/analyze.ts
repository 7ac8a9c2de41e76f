import { analyzeProjectWithTarget, classifyProjectApi } from '../../commands/analyze';
import { renderClassification } from '../render/functions';
import { renderAnalysis } from '../render/analysis';
import { leftOutLines, storageFilesSummary } from '../../execute/storage/report';
import { onlinePreflightLines } from '../online';
import type { CliContext } from '../context';

export interface AnalyzeFlags {
  json?: boolean;
  online?: boolean;
}

/** The work of `supamigrate analyze`, loaded only when that command runs. */
export async function runAnalyze({ out, globals, spec }: CliContext, o: AnalyzeFlags): Promise<void> {
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
}
