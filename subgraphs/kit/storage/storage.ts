/**
 * Where services keep files: one interface, two backends (the filesystem under DATA_DIR, or an
 * S3-compatible bucket). Clients upload and download through signed, expiring URLs, so file bytes never
 * pass through GraphQL.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';

export interface StoredObject {
  size: number;
  contentType: string;
  /** S3's ETag without quotes: the MD5 in hex, or `md5(concat(part md5s))-N` for a multipart object. */
  etag: string;
}

export interface SignedPutOptions {
  /** The Content-Type the upload must send. */
  contentType: string;
  /** Largest body accepted; the filesystem backend refuses a larger one before storing it. */
  maxBytes: number;
  expiresInSeconds: number;
  /**
   * The URL works once: a second PUT is refused with 409, on any replica, after a restart (the token is
   * kept in the service's database). Default false. Filesystem only: S3 accepts a presigned PUT until it
   * expires, so a service on S3 moves what arrived to a key of its own.
   */
  singleUse?: boolean;
  /**
   * The type the bytes show (file-type) must be `contentType`: 415 otherwise, 400 for an empty body,
   * nothing stored. Default false. Filesystem only: a service on S3 reads what arrived.
   */
  checkBytes?: boolean;
}

export interface SignedPartOptions {
  maxBytes: number;
  expiresInSeconds: number;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

/** An S3 rule a multipart completion broke; `code` is S3's own error code. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: 'InvalidPart' | 'InvalidPartOrder' | 'EntityTooSmall' | 'NoSuchUpload' | 'InvalidKey',
    message: string,
  ) {
    super(message);
  }
}

export interface Storage {
  readonly kind: 'filesystem' | 's3';
  /** The S3 bucket, or `local` for the filesystem. */
  readonly bucket: string;
  put(key: string, body: Buffer | Readable, options: { contentType: string }): Promise<StoredObject>;
  head(key: string): Promise<StoredObject | undefined>;
  read(key: string): Promise<Readable | undefined>;
  /** Removing a key that does not exist is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every object whose key starts with `prefix`; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  list(prefix: string): Promise<string[]>;
  signPut(key: string, options: SignedPutOptions): Promise<string>;
  signGet(key: string, options: { expiresInSeconds: number }): Promise<string>;
  /** Returns the upload id. */
  createMultipartUpload(key: string, options: { contentType: string }): Promise<string>;
  signPart(key: string, uploadId: string, partNumber: number, options: SignedPartOptions): Promise<string>;
  /** Joins the parts with S3's rules (ascending order, known ETags, every part but the last at least the minimum size). */
  completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[]): Promise<StoredObject>;
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;
  /** Serves the signed URLs on the service's own app (filesystem); nothing for S3, which serves its own. */
  registerRoutes(app: FastifyInstance): void;
  /**
   * Called after a signed PUT to this service stored an object (filesystem only: S3 tells nobody, so a
   * service on S3 looks with `head`). The PUT is answered once the listeners' promises settle.
   */
  onStored(listener: (key: string, object: StoredObject) => unknown): void;
  /** Waits for the work it started (the filesystem's folders), then releases its clients. Safe twice. */
  close(): Promise<void>;
}

const KEY_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 1024;

/** Keys are `/`-separated segments of letters, digits, `.`, `_` and `-`; none is `.` or `..`. */
export function assertValidKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !key.split('/').every((segment) => KEY_SEGMENT.test(segment))) {
    throw new StorageError('InvalidKey', `"${key}" is not a valid storage key`);
  }
}
