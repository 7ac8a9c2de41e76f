import type { Db } from '../db';

export interface Caller {
  role: 'anon' | 'authenticated' | 'service_role';
  claims: Record<string, unknown>;
}

export interface BucketRow {
  id: string;
  public: boolean;
  file_size_limit: string | null;
  allowed_mime_types: string[] | null;
}

export interface ObjectRow {
  id: string;
  name: string;
  metadata: Record<string, unknown> | null;
  user_metadata: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
}

/**
 * The stand-in's rows live in the target's storage schema. One connection serves every request,
 * so database work is queued: a transaction never interleaves with another request's statements.
 */
export class RowStore {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Db) {}

  /**
   * Runs fn in a transaction acting as the caller: the API role and JWT claims, as PostgREST sets them, so RLS
   * applies.
   */
  asCaller<T>(caller: Caller, fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.serial(() =>
      this.db.transaction(async (tx) => {
        await tx.query(
          "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), " +
            "set_config('storage.allow_delete_query', 'true', true)",
          [caller.role, JSON.stringify(caller.claims)],
        );
        return fn(tx);
      }),
    );
  }

  /** Bucket settings are read with the server's own rights, as Supabase's storage server does. */
  bucket(id: string): Promise<BucketRow | null> {
    return this.serial(async () => {
      const r = await this.db.query<BucketRow>(
        'select id, public, file_size_limit::text, allowed_mime_types from storage.buckets where id = $1',
        [id],
      );
      return r.rows[0] ?? null;
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
