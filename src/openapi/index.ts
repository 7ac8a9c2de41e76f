export { readOpenApi, parseOpenApi } from './read';
export type * from './types';
export { HTTP_METHODS } from './types';
