export * from './apply';
export * from './checkpoints';
export * from './executable';
export * from './rollback';
export * from './status';
export { withAdvisoryLock } from './lock';
export * from './existing';
