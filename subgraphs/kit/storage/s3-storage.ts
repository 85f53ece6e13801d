/**
 * The S3-compatible backend (AWS S3, MinIO, Ceph, R2, s3rver): presigned PUT, GET and UploadPart URLs, so
 * clients send bytes to the bucket directly. S3 cannot cap a presigned PUT's size, check its bytes or
 * refuse its second use, so a service on S3 checks what arrived (`head`, `read`) and deletes or moves it.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { unquote } from './multipart-etag.ts';
import { spool } from './spool.ts';
import { assertValidKey, StorageError, type Storage, type StoredObject } from './storage.ts';

export interface S3StorageOptions {
  /** S3_BUCKET. */
  bucket: string;
  /** S3_ENDPOINT, e.g. http://127.0.0.1:9000; unset = AWS's endpoint for the region. */
  endpoint?: string;
  /** S3_REGION, default us-east-1. */
  region?: string;
  /** S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY; unset = the AWS SDK's default chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** S3_FORCE_PATH_STYLE: bucket in the path instead of the host name. Default true when an endpoint is set. */
  forcePathStyle?: boolean;
}

export function createS3Storage(options: S3StorageOptions): Storage & { readonly client: S3Client } {
  const { bucket } = options;
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    credentials: options.credentials,
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    // Checksums only where S3 requires them: the default streams bodies as aws-chunked with trailers,
    // which several S3-compatible stores (s3rver, older MinIO and Ceph) store as the body itself.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const valid = (key: string) => (assertValidKey(key), key);

  const storage = {
    kind: 's3' as const,
    bucket,
    client,
    async put(key: string, body: Buffer | Readable, { contentType }: { contentType: string }) {
      valid(key);
      if (Buffer.isBuffer(body)) {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
      } else {
        // PutObject needs the length up front: a stream of unknown length is spooled to a temporary file first.
        const folder = await mkdtemp(join(tmpdir(), 'storage-'));
        try {
          const spooled = await spool(body, folder);
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: createReadStream(spooled.file),
              ContentLength: spooled.size,
              ContentType: contentType,
            }),
          );
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      }
      return (await storage.head(key))!;
    },
    async head(key: string): Promise<StoredObject | undefined> {
      try {
        const answer = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: valid(key) }));
        return {
          size: answer.ContentLength ?? 0,
          contentType: answer.ContentType ?? 'application/octet-stream',
          etag: unquote(answer.ETag ?? ''),
        };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async read(key: string) {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: valid(key) }));
        return answer.Body as Readable;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async delete(key: string) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: valid(key) }));
    },
    async deletePrefix(prefix: string) {
      const keys = await storage.list(prefix);
      for (let start = 0; start < keys.length; start += 1000) {
        const batch = keys.slice(start, start + 1000).map((Key) => ({ Key }));
        await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }));
      }
      return keys.length;
    },
    async list(prefix: string) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    signPut: (key: string, { contentType, expiresInSeconds }: { contentType: string; expiresInSeconds: number }) =>
      getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: valid(key), ContentType: contentType }), {
        expiresIn: expiresInSeconds,
      }),
    signGet: (key: string, { expiresInSeconds }: { expiresInSeconds: number }) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: valid(key) }), { expiresIn: expiresInSeconds }),
    async createMultipartUpload(key: string, { contentType }: { contentType: string }) {
      const answer = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: valid(key), ContentType: contentType }));
      if (!answer.UploadId) throw new Error('S3 gave no UploadId');
      return answer.UploadId;
    },
    signPart: (key: string, uploadId: string, partNumber: number, { expiresInSeconds }: { expiresInSeconds: number }) =>
      getSignedUrl(client, new UploadPartCommand({ Bucket: bucket, Key: valid(key), UploadId: uploadId, PartNumber: partNumber }), {
        expiresIn: expiresInSeconds,
      }),
    async completeMultipartUpload(key: string, uploadId: string, parts: Array<{ partNumber: number; etag: string }>) {
      try {
        await client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: valid(key),
            UploadId: uploadId,
            MultipartUpload: { Parts: parts.map((part) => ({ PartNumber: part.partNumber, ETag: `"${unquote(part.etag)}"` })) },
          }),
        );
      } catch (error) {
        if (
          error instanceof S3ServiceException &&
          ['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'NoSuchUpload'].includes(error.name)
        ) {
          throw new StorageError(error.name as StorageError['code'], error.message);
        }
        throw error;
      }
      return (await storage.head(key))!;
    },
    async abortMultipartUpload(key: string, uploadId: string) {
      await client
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: valid(key), UploadId: uploadId }))
        .catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
    },
    registerRoutes() {},
    onStored() {},
    async close() {
      client.destroy();
    },
  };
  return storage;
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey' || error.name === 'NoSuchUpload')
  );
}
