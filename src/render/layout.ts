import type { Phase } from '../plan/types';

/**
 * Where a plan's files live, relative to the spec's folder. Migration versions are fixed
 * 14-digit numbers per phase, so re-planning never renames a file.
 */
export const SQL_PHASES: readonly Phase[] = ['pre-data', 'post-data', 'security'];

const PHASE_VERSION: Record<Phase, string> = {
  'pre-data': '20000101000100',
  data: '20000101000200',
  'post-data': '20000101000300',
  security: '20000101000400',
};

export interface Layout {
  supabaseDir: string;
  stateDir: string;
  name: string;
  /** Versions the plan lock keeps (after a project's own migrations); the fixed ones otherwise. */
  versions?: Partial<Record<Phase, string>>;
}

const versionOf = (layout: Layout, phase: Phase): string => layout.versions?.[phase] ?? PHASE_VERSION[phase];

export function migrationFile(layout: Layout, phase: Phase): string {
  return `${layout.supabaseDir}/migrations/${versionOf(layout, phase)}_${layout.name}_${phase.replace('-', '_')}.sql`;
}

export function downFile(layout: Layout, phase: Phase): string {
  return `${layout.stateDir}/down/${versionOf(layout, phase)}_${layout.name}_${phase.replace('-', '_')}.down.sql`;
}

/** An evolution: the statements that move a database from one committed revision to the next. */
export function evolutionFile(layout: Layout, version: string): string {
  return `${layout.supabaseDir}/migrations/${version}_${layout.name}_evolve.sql`;
}

export function evolutionDownFile(layout: Layout, version: string): string {
  return `${layout.stateDir}/down/${version}_${layout.name}_evolve.down.sql`;
}

/** What the executor needs besides the SQL: each step's down, checksum and checkpoint rows. */
export function evolutionManifestFile(layout: Layout, version: string): string {
  return `${layout.stateDir}/evolve/${version}.json`;
}

/** The fixed versions, used when the project has no migrations of its own. */
export function defaultVersions(): Record<Phase, string> {
  return { ...PHASE_VERSION };
}

export function manifestFile(layout: Layout): string {
  return `${layout.stateDir}/plan.json`;
}

export function snapshotFile(layout: Layout): string {
  return `${layout.stateDir}/snapshot.json`;
}

export function migrationVersion(phase: Phase, layout?: Layout): string {
  return layout ? versionOf(layout, phase) : PHASE_VERSION[phase];
}

export const STEP_MARKER = '-- step: ';
