/** The library: every command is a function returning a result; the CLI only renders them. */
export { initProject } from './commands/init';
export { refreshSnapshot } from './commands/introspect';
export { analyzeProject } from './commands/analyze';
export { planProject } from './commands/plan';
export { applyProject, bootstrapTarget, rollbackProject, statusProject } from './commands/target';
export { validateProject } from './commands/validate';
export { runDemo } from './commands/demo';
export { loadSpec } from './spec';
export { introspect } from './introspect';
export { analyze } from './analyze';
export { buildPlan } from './plan';
export { renderPlan } from './render';
export { openDb, withDb } from './db';
export type { Db } from './db';
export type { Snapshot } from './introspect/snapshot';
export type { Spec } from './spec/types';
export type { Plan, Step } from './plan/types';
export { UserError, ExecutionError } from './errors';
