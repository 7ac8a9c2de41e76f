interface Row {
  id: string;
  name: string;
  metadata: unknown;
  created_at: string;
  updated_at: string;
}

/**
 * One folder level of a bucket, as POST /object/list answers it: sub-folders first as entries
 * with a null id, then files, names relative to the prefix.
 */
export function listLevel(
  rows: Row[],
  prefix: string,
  o: { limit: number; offset: number; search: string; order: 'asc' | 'desc' },
) {
  const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  const folders = new Set<string>();
  const files: Record<string, unknown>[] = [];
  for (const r of rows) {
    const rest = r.name.slice(base.length);
    const slash = rest.indexOf('/');
    if (slash >= 0) folders.add(rest.slice(0, slash));
    else
      files.push({
        name: rest,
        id: r.id,
        updated_at: r.updated_at,
        created_at: r.created_at,
        last_accessed_at: r.updated_at,
        metadata: r.metadata,
      });
  }
  const entries = [
    ...[...folders].map((name) => ({
      name,
      id: null,
      updated_at: null,
      created_at: null,
      last_accessed_at: null,
      metadata: null,
    })),
    ...files,
  ].filter((e) => String(e.name).includes(o.search));
  entries.sort(
    (a, b) =>
      (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0) * (o.order === 'desc' ? -1 : 1),
  );
  return entries.slice(o.offset, o.offset + o.limit);
}
