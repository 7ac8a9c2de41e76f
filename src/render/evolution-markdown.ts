/** The evolution file a pull request adds: what runs on a target that is already at the base. */
export interface EvolutionFile {
  /** Path inside the project, e.g. `supabase/migrations/20240101000005_shop_evolve.sql`. */
  path: string;
  sql: string;
  /** Type changes that rewrite a table, with its size (one line each). */
  rewrites: string[];
}

/**
 * The evolution file as a comment section, shown open (not folded) because it is what a reviewer
 * approves; cut with a note when it does not fit `budget` characters. Empty without an evolution.
 */
export function evolutionSection(e: EvolutionFile | null | undefined, ref: string, budget: number): string {
  if (!e) return '';
  const lines = e.sql.split('\n');
  const head = [
    '',
    `#### Evolution file \`${e.path}\``,
    '',
    `A target already at \`${ref}\` runs exactly this file (\`supamigrate apply\` or \`supabase db push\`); ` +
      'a fresh target runs the phase files.',
    '',
    ...e.rewrites.map((r) => `- :warning: rewrites a table: ${r}`),
    ...(e.rewrites.length > 0 ? [''] : []),
  ].join('\n');
  const fence = '`'.repeat(Math.max(3, ...[...e.sql.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  const whole = `${head}\n${fence}sql\n${e.sql.endsWith('\n') ? e.sql : `${e.sql}\n`}${fence}\n`;
  if (whole.length <= budget) return whole;
  const note = (n: number) =>
    `\n_Cut after ${n} of ${lines.length} lines to stay under GitHub's comment limit; the full file is in the ` +
    'pull request._\n';
  const room = budget - head.length - fence.length * 2 - 8 - note(lines.length).length;
  if (room < 200) return head.length + note(0).length <= budget ? `${head}${note(0)}` : '';
  let kept = '';
  let n = 0;
  for (const line of lines) {
    if (kept.length + line.length + 1 > room) break;
    kept += `${line}\n`;
    n++;
  }
  return `${head}\n${fence}sql\n${kept}${fence}\n${note(n)}`;
}
