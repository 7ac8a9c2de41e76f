export { compareSchemas, type SchemaDifference } from '../compare/schema';
export { compareData, type TableParity } from './data';
