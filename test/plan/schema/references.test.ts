import type { Routine } from '../../../src/introspect/snapshot';
import { buildNameMap } from '../../../src/plan/schema';
import { tokenize } from '../../../src/plan/schema/sql-lexer';
import { emptySnapshot } from '../../helpers/snapshot';

const trgm = { name: 'pg_trgm', schema: 'public', version: '1.6', members: ['public.%', 'public.gin_trgm_ops', 'public.similarity'] };
const unaccent = { name: 'unaccent', schema: 'public', version: '1.1', members: ['public.unaccent'] };
const cube = { name: 'earthdistance', schema: 'public', version: '1.1', members: ['public.earth', 'public.ll_to_earth'] };

const routine = (name: string, definition: string): Routine => ({
  schema: 'public', name, identityArgs: '', kind: 'f', definition, language: 'sql', returns: 'text', returnsSet: false,
  securityDefiner: false, volatility: 'i', args: [], dependsOn: [], owner: 'postgres', comment: null,
} as Routine);

describe('references follow moved extensions and renamed schemas', () => {
  const names = buildNameMap(emptySnapshot({ extensions: [trgm, unaccent, cube] }), { renameSchemas: { auth: 'app_auth' } });

  it('tokenizes every byte back (strings, dollar quotes, comments, operators)', () => {
    const sql = `select 'a''b', E'c\\'d', $f$ x $f$, "Q""n".x /* a /* b */ */ -- c\n ~~* $1::int`;
    expect(tokenize(sql).map((t) => t.text).join('')).toBe(sql);
  });

  it('rewrites operator classes, casts, reg* literals and OPERATOR() in index and function text', () => {
    expect(names.rewrite('CREATE INDEX i ON public.t USING gin (title public.gin_trgm_ops)')).toBe('CREATE INDEX i ON public.t USING gin (title extensions.gin_trgm_ops)');
    expect(names.rewrite(`select public.unaccent('public.unaccent'::regdictionary, x)`)).toBe(`select extensions.unaccent('extensions.unaccent'::regdictionary, x)`);
    expect(names.rewrite('select (a OPERATOR(public.%) b), public.ll_to_earth(1, 2)::public.earth')).toBe('select (a OPERATOR(extensions.%) b), extensions.ll_to_earth(1, 2)::extensions.earth');
    // Text that is not a reference stays: strings, comments, a column of a table named like a member.
    expect(names.rewrite(`select 'public.similarity' /* public.similarity */, public.t.similarity`)).toBe(`select 'public.similarity' /* public.similarity */, public.t.similarity`);
  });

  it('rewrites function bodies and adds extensions to a pinned search_path that named public', () => {
    const def = "CREATE FUNCTION public.f(q text)\n RETURNS text\n LANGUAGE sql\n SET search_path TO 'public'\nAS $function$ select public.similarity(q, q)::text $function$";
    expect(names.rewrite(def)).toBe("CREATE FUNCTION public.f(q text)\n RETURNS text\n LANGUAGE sql\n SET search_path TO 'public', 'extensions'\nAS $function$ select extensions.similarity(q, q)::text $function$");
  });

  it('renames a schema everywhere it is referenced, quoted or in a search path', () => {
    expect(names.rewrite(`select auth."Jwt"(x)::auth.jwt_token, 'auth.t'::regclass`)).toBe(`select app_auth."Jwt"(x)::app_auth.jwt_token, 'app_auth.t'::regclass`);
    expect(names.rewrite("CREATE FUNCTION x()\n SET search_path TO auth, public\nAS $$ select 1 $$")).toBe("CREATE FUNCTION x()\n SET search_path TO app_auth, public, extensions\nAS $$ select 1 $$");
  });

  it('rewrites a name written in any case, and leaves text naming no moved or renamed schema as it is', () => {
    expect(names.rewrite('select AUTH.uid(), PUBLIC.similarity(a, b)')).toBe('select app_auth.uid(), extensions.similarity(a, b)');
    const untouched = "select app.f(x)::app.t, 'app.t'::regclass from app.v -- search path: none";
    expect(names.rewrite(untouched)).toBe(untouched);
  });

  it('rewrites every definition when a renamed schema is not plain ASCII or holds a quote', () => {
    for (const odd of ['Ärger', 'o\'neil', 'say"']) {
      const renamed = buildNameMap(emptySnapshot(), { renameSchemas: { [odd]: 'app2' } });
      const quoted = `"${odd.replace(/"/g, '""')}"`;
      expect(renamed.rewrite(`select ${quoted}.f()`)).toBe('select app2.f()');
    }
  });

  it('keeps an extension where the source had it when a string names one of its objects, and says why', () => {
    const dynamic = routine('g', "CREATE FUNCTION public.g() RETURNS text LANGUAGE plpgsql AS $$ begin execute 'select public.similarity(1, 2)'; end $$");
    const kept = buildNameMap(emptySnapshot({ extensions: [trgm, unaccent], functions: [dynamic] }), { renameSchemas: {} });
    expect(kept.relocation.kept).toEqual([{ extension: 'pg_trgm', schema: 'public', reason: expect.stringContaining('function public.g() names public.similarity') }]);
    expect(kept.relocation.schemaOf.get('pg_trgm')).toBe('public');
    expect(kept.relocation.schemaOf.get('unaccent')).toBe('extensions');
    expect(kept.rewrite('select public.similarity(a, b), public.unaccent(c)')).toBe('select public.similarity(a, b), extensions.unaccent(c)');
  });
});
