import { planDiffProject } from '../commands/plan-diff';
import { planChangeMarkdown } from '../render/diff-markdown';
import type { Spec } from '../spec/types';
import type { Output } from '../render/output';

/** `plan --diff <ref>`: the change as Markdown for a pull request, or as JSON. */
export async function planDiffCommand(
  spec: Spec,
  ref: string,
  format: 'markdown' | 'json',
  source: string | undefined,
  out: Output,
): Promise<void> {
  const change = await planDiffProject(spec, ref, { source });
  if (format === 'json') out.json(change);
  else out.line(planChangeMarkdown(change).trimEnd());
}
