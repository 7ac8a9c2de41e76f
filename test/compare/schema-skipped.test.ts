import { compareSchemas } from '../../src/compare/schema';
import type { Routine } from '../../src/introspect/snapshot';
import { emptySnapshot } from '../helpers/snapshot';
import { mapping } from '../helpers/spec';

const routine = (name: string, language: string): Routine => ({
  schema: 'kinds', name, identityArgs: '', kind: 'f', definition: `create function kinds.${name}() ...`, language,
  returns: 'trigger', returnsSet: false, securityDefiner: false, volatility: 'v', args: [], dependsOn: [], owner: 'postgres', comment: null,
});
const schemas = [{ name: 'kinds', owner: 'postgres', comment: null }];

describe('schema parity of routines Supabase cannot hold', () => {
  it('does not expect on the target the C and internal functions the plan skips, and still expects the others', () => {
    const source = emptySnapshot({ schemas, functions: [routine('lo_manage', 'c'), routine('internal_now', 'internal'), routine('kept', 'sql')] });
    const target = emptySnapshot({ schemas, functions: [routine('kept', 'sql')] });
    expect(compareSchemas(source, target, mapping())).toEqual([]);
    expect(compareSchemas(source, emptySnapshot({ schemas }), mapping()).map((d) => `${d.kind} ${d.object}`)).toEqual(['missing function kinds.kept()']);
  });
});
