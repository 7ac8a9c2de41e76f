export { compareSchemas, type SchemaDifference } from './schema';
