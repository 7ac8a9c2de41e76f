import type { Db } from '../db';
import type { StorageHttpError } from './errors';
import type { StandinContext } from './objects';

export interface StandinOptions {
  /** The target database: rows go to its storage.buckets and storage.objects. */
  db: Db;
  /** Folder for the object bytes. */
  root: string;
  /** Secret the API keys are signed with (HS256), as a Supabase project's JWT secret. */
  jwtSecret: string;
  port?: number;
  host?: string;
  /** Told of every object stored (tests count uploads with it). */
  onStored?: (bucket: string, key: string) => void;
  /** Lets a test make the server refuse an upload (REST or resumable) the way it refuses others. */
  fault?: (upload: { method: string; bucket: string; key: string }) => StorageHttpError | null;
}

/** What every request handler of the stand-in reads: its options and where it keeps bytes and rows. */
export interface Ctx extends StandinContext {
  opts: StandinOptions;
}
