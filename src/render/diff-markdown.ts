import { formatDuration } from '../analyze/format';
import type { Finding } from '../plan/findings';
import { evolutionSection } from './evolution-markdown';
import { type AnalysisDigest, DIFF_GROUPS, type FileChange, type PlanChange } from './diff';

/** GitHub refuses issue comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Hard cap on the result's length (default a little under GitHub's limit). */
  maxChars?: number;
  /** Text placed first (the action's hidden marker); counted in the cap. */
  prefix?: string;
}

/**
 * PlanChange -> a pull-request comment: summary, analysis deltas and findings first, never cut;
 * then one folded diff per file while they fit, the rest truncated with a note.
 */
export function planChangeMarkdown(change: PlanChange, opts: MarkdownOptions = {}): string {
  const max = (opts.maxChars ?? GITHUB_COMMENT_LIMIT - 536) - (opts.prefix?.length ?? 0);
  const head = [
    headline(change),
    ...outOfDate(change),
    ...summaryTable(change),
    ...analysisTable(change),
    ...notes(change),
  ].join('\n');
  const findings = findingsSection(change.findings, Math.max(0, max - head.length - 200));
  const top = `${head}\n${findings}${evolutionSection(change.evolution, change.ref, max - head.length - findings.length - 1)}`;
  return `${opts.prefix ?? ''}${top}${filesSection(change.files, change.ref, max - top.length)}`;
}

function headline(c: PlanChange): string {
  const count = (status: string) => c.steps.filter((s) => s.status === status).length;
  const files = c.files.length;
  const changes = c.hasChanges
    ? `**${count('added')} steps added, ${count('changed')} changed, ${count('removed')} removed; ${files} file${files === 1 ? '' : 's'} differ.**`
    : '**No changes to the plan.**';
  const blocking = c.findings.filter((f) => f.severity === 'error' && !f.allowed).length;
  const verdict =
    c.findings.length === 0
      ? 'No findings.'
      : `${c.findings.length} finding${c.findings.length === 1 ? '' : 's'}, ${blocking} to fix before merging.`;
  return [
    `### supamigrate plan: \`${c.spec}\` against \`${c.ref}\` (${c.commit.slice(0, 7)})`,
    '',
    `${changes} ${verdict}`,
    '',
    `Plan hash \`${c.planHash.slice(0, 16)}\`: the apply after merging reports the same hash when it runs exactly this plan.`,
    '',
  ].join('\n');
}

function outOfDate(c: PlanChange): string[] {
  if (c.outOfDate.length === 0) return [];
  return [
    '> [!CAUTION]',
    '> The committed generated files differ from what the spec and snapshot generate (edited by hand or not ' +
      're-planned):',
    ...c.outOfDate.map((p) => `> - \`${p}\``),
    '> Run `supamigrate plan` and commit the result; apply refuses files that do not match the plan lock.',
    '',
  ];
}

function summaryTable(c: PlanChange): string[] {
  const rows = DIFF_GROUPS.map((g) => {
    const s = c.summary[g];
    return `| ${g} | ${s.stepsAdded} | ${s.stepsChanged} | ${s.stepsRemoved} | ${s.filesAdded} | ${s.filesChanged} | ${s.filesRemoved} |`;
  });
  return [
    '| phase | steps added | changed | removed | files added | changed | removed |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ];
}

function analysisTable(c: PlanChange): string[] {
  const { base, head } = c.analysis;
  const row = (
    label: string,
    value: (d: AnalysisDigest) => string,
    delta?: (b: AnalysisDigest, h: AnalysisDigest) => string,
  ) => `| ${label} | ${base ? value(base) : '-'} | ${value(head)}${base && delta ? delta(base, head) : ''} |`;
  const signed = (n: number, text: string) => (n === 0 ? '' : ` (${n > 0 ? '+' : '-'}${text})`);
  return [
    '#### Analysis',
    '',
    '| | base | head |',
    '| --- | --- | --- |',
    row('risk level', (d) => d.riskLevel),
    row('risks (high / medium / low)', (d) => `${d.risks.high} / ${d.risks.medium} / ${d.risks.low}`),
    row(
      'complexity',
      (d) => `${d.tier} (${d.score})`,
      (b, h) => signed(h.score - b.score, String(Math.abs(h.score - b.score))),
    ),
    row(
      'estimated duration',
      (d) => formatDuration(d.estimatedSeconds),
      (b, h) =>
        signed(
          h.estimatedSeconds - b.estimatedSeconds,
          formatDuration(Math.abs(h.estimatedSeconds - b.estimatedSeconds)),
        ),
    ),
    '',
  ];
}

function notes(c: PlanChange): string[] {
  return c.notes.length === 0 ? [] : [...c.notes.map((n) => `> ${n}`), ''];
}

function findingLine(f: Finding): string {
  const mark = f.allowed ? 'allowed' : f.severity === 'error' ? ':stop_sign:' : ':warning:';
  const rows =
    f.violatingRows === undefined
      ? ''
      : f.violatingRows === null
        ? ' Violating rows in the source: unknown.'
        : ` **${f.violatingRows.toLocaleString('en-US')} violating row${f.violatingRows === 1 ? '' : 's'} in the source.**`;
  return `- ${mark} **${f.code}** \`${f.object}\`: ${f.message}.${rows} Fix: ${f.fix}.`;
}

function findingsSection(findings: Finding[], budget: number): string {
  if (findings.length === 0) return '#### Findings\n\nNone.\n';
  const lines: string[] = [];
  let used = 0;
  for (const [i, f] of findings.entries()) {
    const line = findingLine(f);
    if (used + line.length + 1 > budget) {
      lines.push(`- ... and ${findings.length - i} more (run \`supamigrate plan --diff\` locally for all)`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return ['#### Findings', '', ...lines, ''].join('\n');
}

/** A fence longer than any backtick run inside the text, so a diff cannot close it early. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

function fileBlock(f: FileChange, patch: string, note: string): string {
  const fence = fenceFor(patch);
  return `<details><summary><code>${escapeHtml(f.path)}</code> (${f.status}, +${f.additions} -${f.deletions})</summary>\n\n${fence}diff\n${patch}${fence}\n${note}\n</details>\n`;
}

function filesSection(files: FileChange[], ref: string, budget: number): string {
  if (files.length === 0) return '';
  const title = `\n#### Files (${files.length})\n\n`;
  const omittedNote = (n: number) =>
    `\n_${n} more file diff${n === 1 ? '' : 's'} left out to stay under GitHub's comment limit; run \`supamigrate plan --diff ${ref}\` locally for the full diff._\n`;
  // Room kept for the closing note, whatever happens to the last file.
  const reserve = omittedNote(files.length).length + 8;
  let out = title;
  for (const [i, f] of files.entries()) {
    const full = fileBlock(f, f.patch, '');
    if (out.length + full.length + reserve <= budget) {
      out += full;
      continue;
    }
    const cut = truncatedBlock(f, budget - out.length - reserve);
    if (cut) out += cut;
    const left = files.length - i - (cut ? 1 : 0);
    if (left > 0) out += omittedNote(left);
    break;
  }
  return out.length > budget ? '' : out;
}

/** The first lines of a file's diff that fit, with a note saying how much was cut; null if none fit. */
function truncatedBlock(f: FileChange, room: number): string | null {
  const lines = f.patch.split('\n');
  const empty = fileBlock(f, '', 'NOTE'.repeat(30));
  if (room < empty.length + 200) return null;
  let kept = '';
  let n = 0;
  for (const line of lines) {
    if (empty.length + kept.length + line.length + 1 > room) break;
    kept += `${line}\n`;
    n++;
  }
  const note = `\n_Diff truncated after ${n} of ${lines.length - 1} lines to stay under GitHub's comment limit._\n`;
  return fileBlock(f, kept, note);
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
