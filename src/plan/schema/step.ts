import { createHash } from 'node:crypto';
import type { Phase, Step } from '../types';

/** Builds a Step with its checksum; SQL and down always end with exactly one newline. */
export function step(id: string, phase: Phase, kind: string, sql: string, down: string): Step {
  const up = normalize(sql);
  const reverse = normalize(down);
  const checksum = createHash('sha256').update(up).update('\0').update(reverse).digest('hex');
  return Object.freeze({ id, phase, kind, sql: up, down: reverse, checksum });
}

function normalize(sql: string): string {
  return `${sql.replace(/\s+$/, '')}\n`;
}

/** `comment on <target> is '<text>';` lines for the objects that carry a comment. */
export function commentSql(target: string, comment: string | null): string {
  if (comment === null) return '';
  return `\ncomment on ${target} is '${comment.replace(/'/g, "''")}';`;
}
