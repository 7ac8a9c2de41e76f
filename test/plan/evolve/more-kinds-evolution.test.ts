import { planEvolution, type PlannedStep, type RecordedStep } from '../../../src/plan/evolve';
import { buildNameMap } from '../../../src/plan/schema';
import { operatorStep } from '../../../src/plan/schema/casts-operators';
import { publicationStep } from '../../../src/plan/schema/foreign-publications';
import { statisticsSteps } from '../../../src/plan/schema/statistics-rules';
import type { Step } from '../../../src/plan/types';
import { emptySnapshot } from '../../helpers/snapshot';

/**
 * The evolution rule of the further kinds: none holds rows, so a changed one is replaced (its
 * recorded down, then the new step) and a removed one retired, without being destructive.
 */
const NONE = { allowDestructive: [], renames: { tables: {}, columns: {} } };
const names = buildNameMap(emptySnapshot(), { renameSchemas: {} });
const asPlanned = (s: Step): PlannedStep => ({ ...s, file: 'supabase/migrations/x.sql' });
const asRecorded = (seq: number, s: Step): RecordedStep => ({
  seq, id: s.id, phase: s.phase, kind: s.kind, checksum: s.checksum, up: s.sql, down: s.down, file: 'x.sql', state: null,
});
const stats = (target: number | null) => statisticsSteps([{
  schema: 'app', name: 'st', table: 'app.item', definition: 'CREATE STATISTICS app.st (ndistinct) ON a, b FROM app.item', target, comment: null,
}], names)[0];
const feed = (actions: string[]) => publicationStep({
  name: 'feed', allTables: false, schemas: [], tables: [{ table: 'app.item', columns: null, where: null }], actions, viaRoot: false, comment: null,
}, names);
const op = operatorStep({
  schema: 'app', name: '~<<', left: 'text', right: 'text', function: 'app.f(text, text)', procedure: 'app.f',
  commutator: null, negator: null, restrict: null, join: null, hashes: false, merges: false, comment: null,
}, names);

describe('evolution of statistics, publications and operators', () => {
  it('replaces a changed one through its recorded down, and retires a removed one', () => {
    const recorded = [asRecorded(1, op), asRecorded(2, stats(null)), asRecorded(3, feed(['insert']))];
    const plan = planEvolution(recorded, [stats(500), feed(['insert', 'update'])].map(asPlanned), NONE);
    expect(plan.blocked).toEqual([]);
    expect(plan.refused).toEqual([]);
    expect(plan.steps.map((s) => [s.action, s.target, s.sql])).toEqual([
      ['retire', 'publication:feed', 'drop publication "feed";\n'],
      ['retire', 'statistics:app.st', 'drop statistics "app"."st";\n'],
      ['retire', 'operator:app.~<<(text,text)', 'drop operator "app".~<< (text, text);\n'],
    ]);
    expect(plan.steps.every((s) => s.destructive.length === 0)).toBe(true);
  });
});
