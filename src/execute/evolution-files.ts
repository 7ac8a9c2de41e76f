import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import { evolutionManifestFile, type Layout, lockFile, parseLock, parseStepFile } from '../render';
import type { EvolutionManifest } from '../render/evolution';

/** A step of a committed evolution file, with the SQL exactly as the file holds it. */
export type LoadedEvolutionStep = EvolutionManifest['steps'][number] & { sql: string; line: number };

export interface LoadedEvolution {
  version: string;
  file: string;
  from: string;
  to: string;
  steps: LoadedEvolutionStep[];
  refused: EvolutionManifest['refused'];
  blocked: EvolutionManifest['blocked'];
}

/**
 * The evolutions the plan lock lists, in version order. Each step's SQL comes from its file and
 * its checksum is recomputed, so an evolution edited by hand is refused like any plan file.
 */
export function loadEvolutions(dir: string, layout: Layout): LoadedEvolution[] {
  const lockPath = join(dir, lockFile(layout));
  if (!existsSync(lockPath)) return [];
  const entries = parseLock(readFileSync(lockPath, 'utf8'))?.history?.evolutions ?? [];
  const fix = 'change migration.yaml instead and run `supamigrate plan`; the generated files are rewritten from it';
  return entries.map((e) => {
    const manifestPath = evolutionManifestFile(layout, e.version);
    for (const path of [manifestPath, e.file]) {
      if (!existsSync(join(dir, path)))
        throw new UserError(
          `${path} is missing but the plan lock lists evolution ${e.version}`,
          'run `supamigrate plan` again, or restore the file from git',
        );
    }
    const manifest = JSON.parse(readFileSync(join(dir, manifestPath), 'utf8')) as EvolutionManifest;
    const bodies = new Map(parseStepFile(readFileSync(join(dir, e.file), 'utf8')).map((s) => [s.id, s]));
    const steps = manifest.steps.map((m) => {
      const found = bodies.get(m.id);
      if (!found) throw new UserError(`${e.file}: step ${m.id} is in ${manifestPath} but not in the file`, fix);
      const sum = createHash('sha256').update(found.sql).update('\0').update(m.down).digest('hex');
      if (sum !== m.checksum)
        throw new UserError(`${e.file}:${found.line} step ${m.id} was edited after \`supamigrate plan\` wrote it`, fix);
      return { ...m, sql: found.sql, line: found.line };
    });
    return {
      version: e.version,
      file: e.file,
      from: e.from,
      to: e.to,
      steps,
      refused: manifest.refused ?? [],
      blocked: manifest.blocked ?? [],
    };
  });
}
