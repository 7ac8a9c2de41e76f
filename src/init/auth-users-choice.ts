import type { Snapshot } from '../introspect/snapshot';
import { supabaseNativeLines } from './supabase-native';

export interface AuthUsersChoice {
  value: 'seed' | 'none';
  why: string[];
}

/**
 * How init proposes to link the users table to auth.users. A Supabase-native source already
 * links it (its own key to auth.users is carried) or holds the users in auth.users (they move
 * with their ids): seeding would add a second, generated key next to the source's.
 */
export function authUsersChoice(snapshot: Snapshot, table: string, idColumn: string): AuthUsersChoice {
  const t = snapshot.tables.find((x) => `${x.schema}.${x.name}` === table);
  const linked = t?.constraints.some(
    (c) => c.kind === 'f' && c.refTable === 'auth.users' && c.columns.length === 1 && c.columns[0] === idColumn,
  );
  if (linked) {
    return {
      value: 'none',
      why: [`The source already has ${table}.${idColumn} -> auth.users(id): that key is carried, so none is added.`],
    };
  }
  if (
    supabaseNativeLines(snapshot).length > 0 ||
    (snapshot.supabaseTables ?? []).some((s) => s.schema === 'auth' && s.name === 'users')
  ) {
    return {
      value: 'none',
      why: [
        'A Supabase-native source: its auth.users rows move with their ids and its own keys to auth.users are',
        `carried, so no key is added on ${table}.${idColumn} (set existing to add one).`,
      ],
    };
  }
  return {
    value: 'seed',
    why: [
      'It stays as the profile table. `seed` gives every row an auth.users row with the same id (and',
      'its bcrypt hash, so passwords keep working), then adds id -> auth.users(id) on delete cascade.',
      'Use `existing` when the users are imported through the Admin API first.',
    ],
  };
}
