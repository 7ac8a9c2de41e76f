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
}

export function migrationFile(layout: Layout, phase: Phase): string {
  return `${layout.supabaseDir}/migrations/${PHASE_VERSION[phase]}_${layout.name}_${phase.replace('-', '_')}.sql`;
}

export function downFile(layout: Layout, phase: Phase): string {
  return `${layout.stateDir}/down/${PHASE_VERSION[phase]}_${layout.name}_${phase.replace('-', '_')}.down.sql`;
}

export function manifestFile(layout: Layout): string {
  return `${layout.stateDir}/plan.json`;
}

export function snapshotFile(layout: Layout): string {
  return `${layout.stateDir}/snapshot.json`;
}

export function migrationVersion(phase: Phase): string {
  return PHASE_VERSION[phase];
}

export const STEP_MARKER = '-- step: ';
