import { column, emptySnapshot, table } from '../../helpers/snapshot';

/**
 * An OpenAPI 3.0 document in the style of public ones (Petstore and friends), with the awkward
 * parts such documents have: names that clash with TypeScript and with each other, operationIds
 * with dots and dashes, parameters inside a segment, oneOf, nullable, form bodies, no security.
 */
export const UNSEEN_OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'Pet Store', version: '1.0.0' },
  paths: {
    '/pets': {
      get: { operationId: 'list-pets', tags: ['pets'], parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', format: 'int32', maximum: 100 } }, { name: 'tag', in: 'query', schema: { type: 'string' } }], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pets' } } } }, default: { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } },
      post: { operationId: 'pets.create', tags: ['pets'], requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } } }, responses: { '201': { description: 'created' } } },
    },
    '/pets/{petId}': {
      get: { operationId: 'json', tags: ['pets'], parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer', format: 'int64' } }], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } } },
      delete: { operationId: 'routes', tags: ['pets'], parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '204': { description: 'gone' } } },
    },
    '/pets/{petId}/adopt': {
      post: { operationId: 'adoptPet', parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }], requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Adoption' } } } }, responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Record' } } } } } },
    },
    '/files/{name}.{ext}': {
      get: { tags: ['files'], responses: { '200': { description: 'the file' } } },
    },
    '/store/login': {
      post: { tags: ['store'], requestBody: { content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { user: { type: 'string' } } } } } }, responses: { '200': { description: 'ok' } } },
    },
  },
  components: {
    schemas: {
      Pet: { allOf: [{ $ref: '#/components/schemas/NewPet' }, { type: 'object', required: ['id'], properties: { id: { type: 'integer', format: 'int64' } } }] },
      NewPet: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 80 }, tag: { type: 'string', nullable: true }, 'pet-kind': { $ref: '#/components/schemas/pet-kind' } } },
      Pets: { type: 'array', items: { $ref: '#/components/schemas/Pet' } },
      'pet-kind': { type: 'string', enum: ['dog', 'cat', 'bird'] },
      petKind: { type: 'string' },
      Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'integer', format: 'int32' }, message: { type: 'string' } } },
      Schema: { type: 'object', additionalProperties: true },
      Record: { type: 'object', additionalProperties: { type: 'string' } },
      Adoption: { oneOf: [{ type: 'object', required: ['owner'], properties: { owner: { type: 'string', format: 'email' } } }, { type: 'object', required: ['shelter'], properties: { shelter: { type: 'integer' } } }] },
      AdoptPetRequest: { type: 'object' },
    },
  },
};

/** A source with a `pets` table, so part of the API is plain CRUD. */
export function unseenSnapshot() {
  const pk = { name: 'pets_pkey', kind: 'p' as const, definition: 'PRIMARY KEY (id)', columns: ['id'], refTable: null, refColumns: [], validated: true, deferrable: false, comment: null };
  return emptySnapshot({ tables: [table('public', 'pets', [column('id', 'int8', { notNull: true }), column('name', 'text', { notNull: true }), column('tag', 'text')], { constraints: [pk] })] });
}
