import type { Routine } from '../../introspect/snapshot';
import { qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

/**
 * Functions keep Postgres's own definition text. Bodies are not checked at creation
 * (check_function_bodies off, as pg_dump does), so a function may name tables created later.
 */
const WORDS: Record<string, string> = { f: 'function', p: 'procedure', a: 'aggregate' };

export function routineSteps(routines: Routine[], names: NameMap): Step[] {
  return routines
    .filter((r) => r.kind in WORDS && r.definition !== '')
    .map((r) => {
      const word = WORDS[r.kind];
      // A zero-argument aggregate is written `name(*)`; `name()` is a syntax error for one.
      const args = r.kind === 'a' && r.identityArgs === '' ? '*' : names.rewrite(r.identityArgs);
      const signature = `${qname(names.schema(r.schema), r.name)}(${args})`;
      const definition = plainCreate(names.rewrite(r.definition).replace(/\s+$/, ''));
      const sql = ['set local check_function_bodies = off;', `${definition};`].join('\n');
      return step(
        `${word}:${names.schema(r.schema)}.${r.name}(${r.identityArgs})`,
        'pre-data',
        word,
        `${sql}${commentSql(`${word} ${signature}`, r.comment)}`,
        `drop ${word} ${signature};`,
      );
    });
}

/**
 * Postgres prints `CREATE OR REPLACE`; the plan creates plainly, so a same-named function that
 * is not the engine's makes the step fail instead of being overwritten.
 */
export function plainCreate(definition: string): string {
  return definition.replace(/^CREATE OR REPLACE (FUNCTION|PROCEDURE)\b/i, (_w, word: string) => `CREATE ${word}`);
}
