import type { Routine } from '../../introspect/snapshot';
import { typeRefOf } from './pg-types';

/** OIDs of built-in types: the generator lists conflicting overloads in type OID order. */
const BUILTIN_OIDS: Record<string, number> = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  json: 114,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
};

const IN_MODES = new Set(['i', 'b', 'v']);
const inArgs = (f: Routine) => f.args.filter((a) => IN_MODES.has(a.mode));
const typeName = (type: string) => typeRefOf(type).name;
const SUFFIX =
  'Try renaming the parameters or the function itself in the database so function overloading can be resolved';

/**
 * The overloads PostgREST cannot tell apart get an error type instead of their result, with
 * the message PostgREST would answer: a no-argument function next to one whose only argument is
 * unnamed with a default, or one-argument functions sharing the argument's name.
 */
export function conflictMessage(schema: string, f: Routine, all: Routine[]): string | null {
  if (all.length <= 1) return null;
  const args = inArgs(f);
  const others = all.filter((o) => o !== f);
  if (args.length === 0) {
    const other = others.find((o) => inArgs(o).length === 1 && inArgs(o)[0].name === '' && inArgs(o)[0].hasDefault);
    if (other)
      return `Could not choose the best candidate function between: ${schema}.${f.name}(), ${schema}.${f.name}( => ${typeName(other.returns)}). ${SUFFIX}`;
  }
  if (args.length === 1 && args[0].name !== '') {
    const clash = others.filter((o) => {
      const a = inArgs(o);
      return a.length === 1 && a[0].name === args[0].name && typeName(a[0].type) !== typeName(args[0].type);
    });
    if (clash.length > 0) {
      const listed = [f, ...clash].sort(
        (a, b) =>
          oid(inArgs(a)[0].type) - oid(inArgs(b)[0].type) ||
          typeName(inArgs(a)[0].type).localeCompare(typeName(inArgs(b)[0].type)),
      );
      const names = listed.map((o) => `${schema}.${f.name}(${inArgs(o)[0].name} => ${typeName(inArgs(o)[0].type)})`);
      return `Could not choose the best candidate function between: ${names.join(', ')}. ${SUFFIX}`;
    }
  }
  return null;
}

/** User-defined types were created after every built-in one. */
function oid(type: string): number {
  return BUILTIN_OIDS[typeName(type)] ?? 1_000_000;
}
