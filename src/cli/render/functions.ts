import type { FunctionsClassification } from '../../plan/functions/types';

/** The classification as text, for `analyze` and the plan summary. */
export function renderClassification(c: FunctionsClassification, opts: { brief?: boolean } = {}): string[] {
  if (c.operations.length === 0) return [];
  const count = (k: string) => c.operations.filter((o) => o.kind === k).length;
  const direct = c.operations.filter((o) => o.function === null).length;
  const lines = [
    `API (${c.operations.length} operations: ${count('crud')} CRUD, ${count('rpc')} RPC, ${count('auth') > 0 ? `${count('auth')} Supabase Auth, ` : ''}${count('custom')} custom; ${direct} direct supabase-js calls, ${c.functions.length} edge functions)`,
  ];
  if (opts.brief) {
    const counts = ['error', 'warning', 'info']
      .map((s) => [s, c.findings.filter((f) => f.severity === s).length] as const)
      .filter(([, n]) => n > 0);
    const functions = c.functions.map((f) => `${f.name} (${f.operations.length})`).join(', ');
    return [
      ...lines,
      ...(functions ? [`  edge functions: ${functions}`] : []),
      ...(counts.length
        ? [
            `  findings: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')} (see \`supamigrate analyze\` or API_MAPPING.md)`,
          ]
        : []),
    ];
  }
  const rows = c.operations.map((o) => {
    const target = o.table
      ? `${o.table.operation} ${o.table.schema}.${o.table.name}`
      : o.rpc
        ? `rpc ${o.rpc.schema}.${o.rpc.name}`
        : `custom: ${o.reason ?? ''}`;
    return [
      o.kind,
      `${o.method} ${o.path}`,
      o.operationId,
      o.function ? `fn ${o.function}` : 'supabase-js',
      target,
      o.mappedBy,
    ];
  });
  const widths = rows.reduce<number[]>((w, r) => r.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  lines.push(
    ...rows.map((r) =>
      `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')}`.trimEnd(),
    ),
  );
  for (const f of c.findings) lines.push(`  [${f.severity}] ${f.message} (${f.at})`, `      fix: ${f.fix}`);
  return lines;
}
