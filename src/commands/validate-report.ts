import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Spec } from '../spec/types';
import { renderReport, type ReportInput } from '../validate/report/html';

/** Writes the self-contained HTML report; the default folder is git-ignored (plans may hold data). */
export function writeReport(spec: Spec, result: ReportInput, path?: string): string {
  const rel = path ?? join(spec.output.stateDir, 'report', 'index.html');
  const abs = join(spec.dir, rel);
  mkdirSync(dirname(abs), { recursive: true });
  if (path === undefined) writeFileSync(join(dirname(abs), '.gitignore'), '*\n');
  writeFileSync(abs, renderReport(spec.name, result));
  return rel;
}
