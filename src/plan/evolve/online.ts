import type { PlannedStep } from './types';

/** A plan step of an evolution file in its online form, plus the steps that finish it outside the transaction. */
export interface OnlineForm {
  sql: string;
  /** Steps that run after the evolution's transaction committed, one at a time, then are recorded. */
  after: { id: string; kind: string; sql: string; down: string }[];
  /** The step itself cannot run in a transaction (CREATE INDEX CONCURRENTLY). */
  nonTransactional: boolean;
}

const CONSTRAINT = /^alter table (\S+) add constraint (\S+) ([\s\S]+);\s*$/;
const INDEX = /^CREATE (UNIQUE )?INDEX (\S+) ON (ONLY )?(\S+) ([\s\S]+?);?\s*$/;

/** Constraint kinds an evolution file adds NOT VALID and then validates in a step of its own. */
const VALIDATED_KINDS = new Set(['foreign-key', 'check']);

/**
 * The checkpoint row that records the VALIDATE step of a constraint step (`validate:` + the
 * step's name), or null for kinds that have none. The row belongs to its constraint: it goes
 * when the constraint's row goes.
 */
export function validateRowId(stepId: string, kind: string): string | null {
  return VALIDATED_KINDS.has(kind) ? `validate:${stepId.slice(stepId.indexOf(':') + 1)}` : null;
}

/** `schema.table` of a qualified name as the planner prints it (identifiers quoted only when needed). */
const unquote = (name: string): string => name.replace(/"/g, '');

/**
 * The online form of a foreign key, check or index that a plan step adds to a table the base
 * revision already had (so it may hold rows): the constraint is added NOT VALID (a short lock)
 * and validated afterwards (SHARE UPDATE EXCLUSIVE: reads and writes go on); the index is built
 * CONCURRENTLY. Steps with more than one statement (comments, statistics) keep their form: a
 * concurrent build cannot share a simple-protocol batch. Null: nothing to change. Pure.
 */
export function onlineForm(p: PlannedStep, existingTables: ReadonlySet<string>): OnlineForm | null {
  const validateId = validateRowId(p.id, p.kind);
  if (validateId) {
    const m = CONSTRAINT.exec(p.sql);
    if (!m || m[3].includes(';') || /\bnot valid\b/i.test(m[3]) || !existingTables.has(unquote(m[1]))) return null;
    return {
      sql: `alter table ${m[1]} add constraint ${m[2]} ${m[3]} not valid;\n`,
      after: [
        {
          id: validateId,
          kind: 'validate',
          sql: `alter table ${m[1]} validate constraint ${m[2]};\n`,
          down: '',
        },
      ],
      nonTransactional: false,
    };
  }
  if (p.kind === 'index') {
    const m = INDEX.exec(p.sql.trim());
    if (!m || m[3] || m[5].includes(';') || !existingTables.has(unquote(m[4]))) return null;
    return {
      sql: `CREATE ${m[1] ?? ''}INDEX CONCURRENTLY IF NOT EXISTS ${m[2]} ON ${m[4]} ${m[5]};\n`,
      after: [],
      nonTransactional: true,
    };
  }
  return null;
}
