import { qualified, type Snapshot, type Table } from '../../introspect/snapshot';
import { elementType, isSerial } from '../column-types';
import { groupDigits } from '../format';
import { eachColumn } from '../patterns/context';
import { embeddingDimensions, embeddingStorage } from '../patterns/embedding';
import type { Relationships, Risk, Severity } from '../types';
import { LARGE_TABLE_BYTES, LARGE_TABLE_ROWS } from './supabase';

/** Risks found in tables and columns: keys, sizes, types and RLS state. */

export function primaryKeyRisks(snapshot: Snapshot): Risk[] {
  const byName = new Map(snapshot.tables.map((t) => [qualified(t), t]));
  const ownKey = (t: Table) => t.constraints.some((c) => c.kind === 'p');
  // A partition holds the key of its parent (Postgres creates it on each partition), whatever the depth.
  const keyed = (t: Table, seen = new Set<string>()): boolean => {
    if (ownKey(t)) return true;
    const parent = t.partitionOf === null ? undefined : byName.get(t.partitionOf);
    return (
      parent !== undefined && !seen.has(t.partitionOf as string) && keyed(parent, new Set([...seen, qualified(t)]))
    );
  };
  const partitions = (t: Table) => snapshot.tables.filter((p) => p.partitionOf === qualified(t));
  // A partitioned table holds no rows itself: when each of its partitions has a key, nothing lacks one.
  const partsKeyed = (t: Table) => t.kind === 'p' && partitions(t).length > 0 && partitions(t).every((p) => keyed(p));
  return snapshot.tables
    .filter((t) => !keyed(t) && !partsKeyed(t))
    .map((t) => ({
      code: 'no-primary-key',
      severity: 'medium' as const,
      object: qualified(t),
      why:
        'without a primary key rows cannot be copied in resumable chunks, compared after the move, or published to ' +
        'realtime for updates and deletes',
      mitigation:
        'add a primary key (an identity column if nothing is unique), or accept a whole-table copy and set ' +
        'replica identity full',
    }));
}

export function largeTableRisks(snapshot: Snapshot): Risk[] {
  return snapshot.tables
    .filter((t) => t.estimatedRows > LARGE_TABLE_ROWS || t.sizeBytes > LARGE_TABLE_BYTES)
    .map((t) => ({
      code: 'large-table',
      severity: (t.estimatedRows > 10 * LARGE_TABLE_ROWS || t.sizeBytes > 10 * LARGE_TABLE_BYTES
        ? 'high'
        : 'medium') as Severity,
      object: qualified(t),
      why: `about ${groupDigits(Math.round(t.estimatedRows))} rows and ${(t.sizeBytes / 1024 ** 3).toFixed(1)} GiB: one copy would hold a long transaction`,
      mitigation:
        'copy in key-range chunks (data.batch_size), build indexes after the load, and plan a longer cut-over window',
    }));
}

const REG_TYPES = /^reg[a-z]+$/;

function typeRisk(type: string): { severity: Severity; why: string; mitigation: string } | null {
  if (REG_TYPES.test(type)) {
    return {
      severity: 'medium',
      why: `${type} values are object identifiers that do not survive a dump and restore or pg_upgrade`,
      mitigation: 'store the object name as text instead',
    };
  }
  if (type === 'money') {
    return {
      severity: 'medium',
      why: 'money formats and parses by the server locale (lc_monetary), which may differ on Supabase',
      mitigation: 'convert to numeric(19,4) and keep the currency in its own column',
    };
  }
  if (type === 'unknown') {
    return { severity: 'high', why: 'a column of type unknown cannot be re-created', mitigation: 'cast it to text' };
  }
  return null;
}

export function columnTypeRisks(snapshot: Snapshot): Risk[] {
  return eachColumn(snapshot).flatMap(({ table, column }): Risk[] => {
    const object = `${qualified(table)}.${column.name}`;
    const type = elementType(column);
    const risky = typeRisk(type);
    if (risky) return [{ code: 'unsupported-type', object, ...risky }];
    if (type === 'json' && !column.isArray) {
      return [
        {
          code: 'json-column',
          severity: 'low',
          object,
          why: 'json is stored as text: no indexing, no containment operators, duplicate keys kept',
          mitigation: 'set schema.type_mappings.json: jsonb (key order and duplicate keys are not preserved)',
        },
      ];
    }
    const storage = embeddingStorage(column, embeddingDimensions(snapshot, table, column));
    if (storage === 'array' || storage === 'jsonb') {
      return [
        {
          code: 'embedding-array',
          severity: 'medium',
          object,
          why: `embedding stored as ${column.type}: no similarity operators or vector indexes`,
          mitigation: 'migrate it to an extensions.vector(n) column and build an HNSW index after the load',
        },
      ];
    }
    return [];
  });
}

export function serialRisks(snapshot: Snapshot): Risk[] {
  const owned = new Set(snapshot.sequences.map((s) => s.ownedBy).filter((o): o is string => o !== null));
  return snapshot.tables.flatMap((table) =>
    table.columns
      .filter((c) => isSerial(c, owned, qualified(table)))
      .map((c) => ({
        code: 'serial-column',
        severity: 'low' as const,
        object: `${qualified(table)}.${c.name}`,
        why: 'serial columns depend on a separately owned sequence and its grants',
        mitigation: 'set schema.type_mappings.serial: identity to re-create it as GENERATED BY DEFAULT AS IDENTITY',
      })),
  );
}

export function rlsWithoutPolicyRisks(snapshot: Snapshot): Risk[] {
  const withPolicy = new Set(snapshot.policies.map((p) => `${p.schema}.${p.table}`));
  return snapshot.tables
    .filter((t) => t.rlsEnabled && !withPolicy.has(qualified(t)))
    .map((t) => ({
      code: 'rls-without-policies',
      severity: 'medium' as const,
      object: qualified(t),
      why: 'row level security is enabled but no policy exists: anon and authenticated see no rows at all',
      mitigation: 'write the intended policies (security patterns), or disable RLS only if the table is not exposed',
    }));
}

export function cycleRisks(relationships: Relationships): Risk[] {
  return relationships.cycles.map((tables) => {
    const edges = relationships.deferredEdges.filter((e) => tables.includes(e.from));
    return {
      code: 'fk-cycle',
      severity: 'medium' as const,
      object: tables.join(', '),
      why: `foreign keys form a cycle, so no load order satisfies them (${edges.map((e) => `${e.from}.${e.constraint}`).join(', ')})`,
      mitigation: 'add these foreign keys after the data load, or make them DEFERRABLE INITIALLY DEFERRED',
    };
  });
}
