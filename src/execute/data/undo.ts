import type { Db } from '../../db';
import type { TableCopy } from '../../plan/data/types';
import { forgetCheckpoints } from './checkpoints';
import { targetTable } from './statements';

/** Reverses a table's load: empties the target table and forgets its chunks, in one transaction. */
export async function undoTableCopy(target: Db, copy: TableCopy): Promise<void> {
  await target.transaction(async (tx) => {
    await tx.exec(`truncate table ${targetTable(copy)}`);
    await forgetCheckpoints(tx, copy.id);
  });
}
