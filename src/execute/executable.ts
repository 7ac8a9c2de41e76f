import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import { type Layout, type Manifest, manifestFile, parseStepFile } from '../render';
import { decodeStep } from './steps/decode';
import type { ExecutableStep } from './steps/types';

export type { ExecutableStep, SequenceResetStep, SqlStep, StorageTransferStep, TableCopyStep } from './steps/types';
export { asPlanned } from './steps/types';

/**
 * Reads the plan that `plan` wrote. Each step's SQL is taken from its migration file, and its
 * checksum recomputed and compared with the manifest, so a file edited by hand is refused.
 */
export function loadExecutablePlan(dir: string, layout: Layout): ExecutableStep[] {
  const manifestPath = join(dir, manifestFile(layout));
  if (!existsSync(manifestPath)) {
    throw new UserError(
      `no plan found: ${manifestFile(layout)} does not exist`,
      'run `supamigrate plan` first and commit its files',
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const files = new Map<string, Map<string, { sql: string; line: number }>>();
  const stepsIn = (file: string) => {
    let steps = files.get(file);
    if (!steps) {
      const path = join(dir, file);
      if (!existsSync(path))
        throw new UserError(`${file} is missing but the plan lists steps in it`, 'run `supamigrate plan` again');
      steps = new Map(parseStepFile(readFileSync(path, 'utf8')).map((s) => [s.id, s]));
      files.set(file, steps);
    }
    return steps;
  };
  const edited: string[] = [];
  const plan = manifest.steps.map((m) => {
    const found = m.file ? stepsIn(m.file).get(m.id) : { sql: m.body ?? '', line: 0 };
    if (!found)
      throw new UserError(`${m.file}: step ${m.id} is in the plan but not in the file`, 'run `supamigrate plan` again');
    const sum = createHash('sha256').update(found.sql).update('\0').update(m.down).digest('hex');
    if (sum !== m.checksum)
      edited.push(m.file ? `${m.file}:${found.line} step ${m.id}` : `${manifestFile(layout)} step ${m.id}`);
    return decodeStep(m, found.sql, found.line, m.file ?? manifestFile(layout));
  });
  if (edited.length > 0) {
    throw new UserError(
      `the plan's files were edited after \`supamigrate plan\` wrote them:\n  ${edited.join('\n  ')}`,
      'change migration.yaml instead and run `supamigrate plan`; the generated files are rewritten from it',
    );
  }
  return plan;
}
