import {
  castObject,
  foreignTableObject,
  operatorObject,
  publicationObject,
  serverObject,
  unsupportedObjects,
} from '../../analyze/unsupported';
import type { Snapshot } from '../../introspect/snapshot';
import type { Step } from '../types';
import { castKey, castStep, operatorKey, operatorStep } from './casts-operators';
import type { NameMap } from './context';
import { eventTriggerStep, foreignTableStep, publicationStep, serverStep } from './foreign-publications';
import { ruleSteps, statisticsSteps } from './statistics-rules';

/** A pre-data object of the kinds below, before it is ranked among the others. */
export interface MoreItem {
  key: string;
  kind: 'server' | 'operator' | 'cast' | 'foreign-table';
  deps: string[];
  build: () => Step[];
}

/** The objects of the snapshot that Supabase cannot hold, by the name the spec skips them with. */
export function skippedObjects(snapshot: Snapshot): Set<string> {
  return new Set(unsupportedObjects(snapshot).map((u) => u.object));
}

/** Servers, operators, casts and foreign tables, each ordered after what it needs. */
export function moreBeforeData(s: Snapshot, names: NameMap, skipped: Set<string>): MoreItem[] {
  const keep = <T>(items: T[] | undefined, name: (t: T) => string) =>
    (items ?? []).filter((i) => !skipped.has(name(i)));
  return [
    ...keep(s.foreignServers, serverObject).map(
      (v): MoreItem => ({ key: `server:${v.name}`, kind: 'server', deps: [], build: () => [serverStep(v)] }),
    ),
    ...keep(s.operators, operatorObject).map(
      (o): MoreItem => ({
        key: operatorKey(o),
        kind: 'operator',
        deps: [o.function],
        build: () => [operatorStep(o, names)],
      }),
    ),
    ...keep(s.casts, castObject).map(
      (c): MoreItem => ({
        key: castKey(c),
        kind: 'cast',
        deps: c.function === null ? [] : [c.function],
        build: () => [castStep(c, names)],
      }),
    ),
    ...keep(s.foreignTables, foreignTableObject).map(
      (t): MoreItem => ({
        key: `${t.schema}.${t.name}`,
        kind: 'foreign-table',
        deps: [`server:${t.server}`],
        build: () => [foreignTableStep(t, names)],
      }),
    ),
  ];
}

/** Statistics and rules after the triggers; publications, then event triggers, last of all. */
export function moreAfterData(s: Snapshot, names: NameMap, skipped: Set<string>, tables: Set<string>): Step[] {
  const publications = (s.publications ?? []).filter((p) => !skipped.has(publicationObject(p)));
  return [
    ...statisticsSteps(
      (s.statistics ?? []).filter((x) => tables.has(x.table)),
      names,
    ),
    ...ruleSteps(
      (s.rules ?? []).filter((r) => tables.has(`${r.schema}.${r.table}`)),
      names,
    ),
    ...publications.map((p) => publicationStep({ ...p, tables: p.tables.filter((t) => tables.has(t.table)) }, names)),
    ...(s.eventTriggers ?? []).map((e) => eventTriggerStep(e, names)),
  ];
}
