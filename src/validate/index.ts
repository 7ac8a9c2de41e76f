export { compareSchemas, type SchemaDifference } from './schema';
export { compareData, type TableParity } from './data';
