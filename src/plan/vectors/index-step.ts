import { ident, qname } from '../../sql';
import type { VectorDistance, VectorType } from '../../spec/types';
import { step } from '../schema/step';
import type { Step } from '../types';
import type { VectorColumn } from './columns';

const OPCLASS_SUFFIX: Record<VectorDistance, string> = { cosine: 'cosine_ops', l2: 'l2_ops', inner_product: 'ip_ops' };

/** `extensions.vector_cosine_ops`, `extensions.halfvec_ip_ops`, ... */
export const operatorClass = (type: VectorType, distance: VectorDistance) =>
  `extensions.${type}_${OPCLASS_SUFFIX[distance]}`;

/** Postgres truncates names at 63 bytes; index names are ASCII here, so characters suffice. */
export function indexName(v: VectorColumn): string {
  const method = v.settings.index.method;
  return `${v.table.name}_${v.column.name}_${method}_idx`.slice(0, 63);
}

/**
 * The vector index, in post-data: built once over the loaded rows, which is much faster than
 * maintaining it row by row during the load (bench/vectors measures it).
 */
export function vectorIndexStep(v: VectorColumn): Step | null {
  const index = v.settings.index;
  if (index.method === 'none') return null;
  const table = qname(v.targetSchema, v.table.name);
  const name = indexName(v);
  const using = `${ident(v.column.name)} ${operatorClass(v.settings.type, v.settings.distance)}`;
  const options =
    index.method === 'hnsw' ? `m = ${index.m}, ef_construction = ${index.efConstruction}` : `lists = ${index.lists}`;
  const sql = `create index ${ident(name)} on ${table} using ${index.method} (${using}) with (${options});`;
  return step(
    `vector-index:${v.targetSchema}.${v.table.name}.${v.column.name}`,
    'post-data',
    'index',
    sql,
    `drop index ${qname(v.targetSchema, name)};`,
  );
}
