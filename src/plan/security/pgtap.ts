import type { GeneratedFile } from '../types';
import type { SecurityContext } from './context';

export function pgtapFiles(_ctx: SecurityContext): GeneratedFile[] {
  return [];
}
