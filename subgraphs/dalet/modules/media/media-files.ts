/**
 * Where a media info's file is: its full path in the storage unit's own terms (what `mainFileFullPath`
 * answers: a UNC path, a URL), and where this service can reach it, if it can: a local file (a local
 * storage unit, or one DALET_STORAGE_LOCATIONS says is mounted here) or an http(s) URL, fetched only through
 * the kit's outbound guard.
 */
import { join, resolve, sep } from 'node:path';
import { invalidInput } from '../../common/errors.ts';

type ConfigObject = Record<string, any>;

export type FileReach = { kind: 'file'; path: string } | { kind: 'http'; url: string };

export interface MediaFile {
  fullPath: string;
  reach: FileReach | undefined;
}

const MAX_BASE_FILENAME_LENGTH = 200;

/** A base file name stays one name inside its storage unit: no separators, no `..`, no control characters. */
export function checkBaseFilename(value: string): string {
  const name = value.trim();
  if (!name) throw invalidInput('baseFilename', value, 'EMPTY_OR_NULL', 'Must not be empty');
  if (name.length > MAX_BASE_FILENAME_LENGTH)
    throw invalidInput('baseFilename', value, 'TOO_LONG', `At most ${MAX_BASE_FILENAME_LENGTH} characters`);
  if (/[/\\:*?"<>|\u0000-\u001f]/.test(name) || name.startsWith('.'))
    throw invalidInput('baseFilename', value, 'FORBIDDEN_CHARACTERS', 'Must not contain / \\ : * ? " < > | or start with "."');
  return name;
}

/** The format's extension, from its first file name pattern (`*.mxf`), unless the name has it already. */
function fileName(format: ConfigObject, baseFilename: string): string {
  const pattern: unknown = format.fileNamePatterns?.[0];
  const extension = typeof pattern === 'string' ? /^\*(\.[A-Za-z0-9]+)$/.exec(pattern)?.[1] : undefined;
  if (!extension || baseFilename.toLowerCase().endsWith(extension.toLowerCase())) return baseFilename;
  return baseFilename + extension;
}

export function mediaFile(
  storageUnit: ConfigObject,
  format: ConfigObject,
  baseFilename: string,
  locations: ReadonlyMap<string, string>,
): MediaFile {
  const name = fileName(format, baseFilename);
  const protocol: ConfigObject = storageUnit.protocol ?? {};
  const path = typeof protocol.path === 'string' ? protocol.path : undefined;
  const url = typeof protocol.url === 'string' ? protocol.url.replace(/\/+$/, '') : undefined;
  let fullPath = name;
  if (path) fullPath = path.includes('\\') ? `${path.replace(/\\+$/, '')}\\${name}` : join(path, name);
  else if (url) fullPath = `${url}/${encodeURIComponent(name)}`;

  const configured = path?.startsWith('/') ? path : protocol.__typename === 'HttpStorageUnitProtocol' ? url : undefined;
  const location = locations.get(String(storageUnit.id)) ?? configured;
  return { fullPath, reach: location === undefined ? undefined : reachOf(location, name) };
}

function reachOf(location: string, name: string): FileReach | undefined {
  if (/^https?:\/\//.test(location)) return { kind: 'http', url: `${location.replace(/\/+$/, '')}/${encodeURIComponent(name)}` };
  const directory = resolve(location);
  const path = resolve(directory, name);
  // checkBaseFilename keeps names inside; this keeps a mistake there from reaching outside the unit.
  return path.startsWith(directory + sep) ? { kind: 'file', path } : undefined;
}
