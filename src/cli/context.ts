import type { Command } from 'commander';
import type { ConnectionMode } from '../spec';
import type { Spec } from '../spec/types';
import type { Output } from '../render/output';

/** The global flags every subcommand sees. */
export interface Globals {
  spec: string;
  source?: string;
  target?: string;
  debug?: boolean;
}

/** What a subcommand file needs from the program: where to print, the flags, and the spec loader. */
export interface CliContext {
  program: Command;
  out: Output;
  setCode: (code: number) => void;
  globals: () => Globals;
  spec: (connections?: ConnectionMode) => Spec;
}
