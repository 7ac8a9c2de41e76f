/** A file found under a source folder at plan time (read by the command, passed in as data). */
export interface InventoryFile {
  /** Path inside the folder that was walked, forward slashes, as the file system spells it. */
  path: string;
  size: number;
  sha256: string;
  /** What Supabase Storage reports as the object's eTag, so identical objects can be recognised. */
  md5: string;
  /** Why the file could not be read at plan time (it is then left out); absent when it was read. */
  unreadable?: string;
}

/** Folder (relative to the spec, as the spec writes it) -> the files under it, sorted by path. */
export type StorageInventory = Readonly<Record<string, readonly InventoryFile[]>>;

/** One object the transfer will create; what the reviewer sees in `.supamigrate/storage/<bucket>.json`. */
export interface ManifestObject {
  key: string;
  size: number;
  sha256: string;
  md5: string;
  contentType: string;
  /** The name the file had at the source (kept in the object's user metadata). */
  originalName: string;
  /** The file, relative to the spec's folder. */
  source: string;
  /** auth uid set as the object's owner, where the bucket's access pattern reads it. */
  owner: string | null;
  /** The row value to replace with the key after upload, when the source asks for it. */
  rewrite: { schema: string; table: string; column: string; from: string } | null;
  /** Why the object will not be uploaded (over the size limit, a refused type); null when it will. */
  refused: string | null;
}

export interface StorageManifest {
  bucket: string;
  public: boolean;
  fileSizeLimit: number | null;
  allowedMimeTypes: string[] | null;
  cacheControlSeconds: number;
  objects: ManifestObject[];
}

/** The body of a transfer step: which manifest it moves, pinned by checksum. */
export interface TransferSpec {
  bucket: string;
  manifest: string;
  manifestSha256: string;
  objects: number;
  bytes: number;
  refused: number;
  /** Columns the step rewrites, so rollback can put their values back. */
  rewrites: { schema: string; table: string; column: string }[];
}
