import type { Snapshot } from '../introspect/snapshot';
import { round2 } from './format';
import type { Complexity, ComplexityInput, Pattern, Relationships, Tier } from './types';

/**
 * Thresholds calibrated on the three scenarios the product is built for: a simple web app
 * (5-20 tables) stays under 50; a platform (30-50 tables with tenants and vectors) lands between
 * 50 and 150; an enterprise estate (100+ tables, several schemas, many procedures) goes above.
 */
export const PLATFORM_SCORE = 50;
export const ENTERPRISE_SCORE = 150;

const GIB = 1024 ** 3;

export function scoreComplexity(snapshot: Snapshot, relationships: Relationships, patterns: Pattern[]): Complexity {
  const members = new Set(snapshot.extensions.flatMap((e) => e.members));
  const measures: [string, number, number][] = [
    ['tables', snapshot.tables.length, 1],
    ['extra schemas', Math.max(0, snapshot.schemas.length - 1), 5],
    ['functions and procedures', snapshot.functions.filter((f) => !members.has(`${f.schema}.${f.name}`)).length, 1],
    ['triggers', snapshot.triggers.length, 0.5],
    ['foreign keys', relationships.edges.length, 0.25],
    ['foreign key cycles', relationships.cycles.length, 5],
    ['tenant pattern', patterns.some((p) => p.kind === 'tenant' && p.confidence !== 'low') ? 1 : 0, 15],
    ['embedding columns', patterns.filter((p) => p.kind === 'embedding').length, 5],
    ['partitioned tables', snapshot.tables.filter((t) => t.kind === 'p').length, 5],
    ['custom types', snapshot.enums.length + snapshot.domains.length + snapshot.composites.length, 1],
    ['data size (GiB)', Math.floor(snapshot.tables.reduce((n, t) => n + Math.max(0, t.sizeBytes), 0) / GIB), 0.5],
  ];
  const inputs: ComplexityInput[] = measures.map(([name, value, weight]) => ({
    name,
    value,
    weight,
    points: round2(value * weight),
  }));
  const score = round2(inputs.reduce((n, i) => n + i.points, 0));
  return { score, tier: tierOf(score), inputs };
}

export function tierOf(score: number): Tier {
  if (score >= ENTERPRISE_SCORE) return 'enterprise';
  return score >= PLATFORM_SCORE ? 'platform' : 'simple';
}
