/** Input checks made before anything is written; each error names its argument. */
import { badUserInput } from '../../core/errors.ts';

const MAX_NAME_LENGTH = 255;
const MAX_DESCRIPTION_LENGTH = 2000;
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
// Control characters and path separators never belong in a name shown to people and used as a filename.
const UNSAFE_NAME = /[\u0000-\u001f\u007f/\\]/;

export const ASSET_TYPES = ['IMAGE', 'AUDIO', 'VIDEO'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export function requireName(value: string, argumentName: string): string {
  const name = value.trim();
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) throw badUserInput(argumentName, `must be 1 to ${MAX_NAME_LENGTH} characters`);
  if (UNSAFE_NAME.test(name)) throw badUserInput(argumentName, 'may not hold control characters or slashes');
  return name;
}

export function requireDescription(value: string | null | undefined, argumentName: string): string | null {
  if (value === null || value === undefined) return null;
  if (value.length > MAX_DESCRIPTION_LENGTH) throw badUserInput(argumentName, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  return value;
}

/** The content type must be a MIME type of the library's kind (image/..., audio/... or video/...). */
export function requireContentType(value: string, assetType: string, argumentName = 'content_type'): string {
  const contentType = value.trim().toLowerCase();
  if (!MIME_TYPE.test(contentType)) throw badUserInput(argumentName, 'must be a MIME type such as image/png');
  if (kindOfMimeType(contentType) !== assetType)
    throw badUserInput(argumentName, `${contentType} does not belong in a library of ${assetType} assets`);
  return contentType;
}

/** IMAGE, AUDIO or VIDEO for a MIME type of those kinds; undefined otherwise. */
export function kindOfMimeType(mimeType: string): AssetType | undefined {
  const top = mimeType.split('/')[0];
  return top === 'image' ? 'IMAGE' : top === 'audio' ? 'AUDIO' : top === 'video' ? 'VIDEO' : undefined;
}

/** A GraphQL Float that must hold a whole number within bounds. */
export function requireWholeNumber(
  value: number | null | undefined,
  argumentName: string,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    throw badUserInput(argumentName, `must be a whole number from ${min} to ${max}`);
  return value;
}
