/** The one way identifiers and literals enter generated SQL. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qname(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Leads the engine's own reads of the source's rows (checksums, key ranges, sequences), so that
 * the workload `validate --performance` takes from pg_stat_statements never counts them as the
 * application's.
 */
export const ENGINE_MARK = '/* supamigrate */';
