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
