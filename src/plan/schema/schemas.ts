import type { SchemaInfo } from '../../introspect/snapshot';
import { ident } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

/** Schemas every Supabase project already has: never created nor dropped by a plan. */
const PRESENT_ON_TARGET = new Set(['public', 'extensions']);

export function schemaSteps(schemas: SchemaInfo[], names: NameMap): Step[] {
  return schemas
    .map((s) => ({ ...s, target: names.schema(s.name) }))
    .filter((s) => !PRESENT_ON_TARGET.has(s.target))
    .map((s) =>
      step(
        `schema:${s.target}`,
        'pre-data',
        'schema',
        `create schema ${ident(s.target)};${commentSql(`schema ${ident(s.target)}`, s.comment)}`,
        `drop schema ${ident(s.target)};`,
      ),
    );
}
