import { qualified } from '../../introspect/snapshot';
import { isText } from '../column-types';
import type { Confidence, Pattern } from '../types';
import { eachColumn, type PatternContext } from './context';

const FILE_PREFIX = /^(file|avatar|attachment|storage)/;
const MEDIA_WORD = /(image|photo|picture|thumbnail|document|video|audio|cover|logo|upload)/;

/**
 * Text columns that probably point at uploaded files: candidates for Supabase Storage.
 * `*_url` alone is weak evidence (it is often an external link), unless it names media.
 */
function fileConfidence(name: string): Confidence | null {
  if (FILE_PREFIX.test(name)) return 'high';
  if (name.endsWith('_path')) return 'medium';
  if (name.endsWith('_url')) return MEDIA_WORD.test(name) ? 'medium' : 'low';
  return null;
}

export function detectFilePaths(ctx: PatternContext): Pattern[] {
  return eachColumn(ctx.snapshot).flatMap(({ table, column }): Pattern[] => {
    const confidence = isText(column) ? fileConfidence(column.name) : null;
    if (confidence === null) return [];
    const evidence = `${column.type} column ${column.name} looks like a file reference`;
    return [{ kind: 'file-path', table: qualified(table), columns: [column.name], confidence, evidence }];
  });
}
