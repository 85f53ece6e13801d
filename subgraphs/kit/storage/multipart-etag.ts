/** S3's ETag of a multipart object: the MD5 of the parts' binary MD5s joined, then `-` and the part count. */
import { createHash } from 'node:crypto';

export function multipartEtag(partEtags: string[]): string {
  const joined = Buffer.concat(partEtags.map((etag) => Buffer.from(unquote(etag), 'hex')));
  return `${createHash('md5').update(joined).digest('hex')}-${partEtags.length}`;
}

export function unquote(etag: string): string {
  return etag.replace(/^(W\/)?"(.*)"$/, '$2');
}
