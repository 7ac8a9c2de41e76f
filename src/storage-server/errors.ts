/**
 * An error as Supabase Storage answers it: HTTP 400 with the real status as a string in the body,
 * an error name, a machine code and a message (e.g. "413", "Payload too large", "EntityTooLarge").
 */
export class StorageHttpError extends Error {
  constructor(
    readonly statusCode: string,
    readonly error: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  body(): string {
    return JSON.stringify({ statusCode: this.statusCode, error: this.error, code: this.code, message: this.message });
  }
}

export const errors = {
  invalidKey: (key: string) => new StorageHttpError('400', 'InvalidKey', 'InvalidKey', `Invalid key: ${key}`),
  noBucket: () => new StorageHttpError('404', 'Bucket not found', 'NoSuchBucket', 'Bucket not found'),
  noObject: () => new StorageHttpError('404', 'not_found', 'NoSuchKey', 'Object not found'),
  duplicate: () => new StorageHttpError('409', 'Duplicate', 'KeyAlreadyExists', 'The resource already exists'),
  bucketExists: () => new StorageHttpError('409', 'Duplicate', 'BucketAlreadyExists', 'The resource already exists'),
  bucketNotEmpty: () =>
    new StorageHttpError('409', 'Bucket not empty', 'InvalidRequest', 'The bucket you tried to delete is not empty'),
  tooLarge: () =>
    new StorageHttpError('413', 'Payload too large', 'EntityTooLarge', 'The object exceeded the maximum allowed size'),
  mime: (type: string) =>
    new StorageHttpError('415', 'invalid_mime_type', 'InvalidMimeType', `mime type ${type} is not supported`),
  unauthorized: (why: string) => new StorageHttpError('403', 'Unauthorized', 'InvalidJWT', why),
  rls: () => new StorageHttpError('403', 'Unauthorized', 'AccessDenied', 'new row violates row-level security policy'),
  invalid: (why: string) => new StorageHttpError('400', 'Invalid Input', 'InvalidRequest', why),
  notFound: () => new StorageHttpError('404', 'Not Found', 'InvalidRequest', 'Route not found'),
};
