/**
 * The six values of AssetStatus and the changes `set_asset_status` may make. Processing makes the others
 * (UPLOAD_PENDING → UPLOAD_PROCESSING → READY, FAILED or REJECTED) itself.
 */
export const ASSET_STATUSES = ['UPLOAD_PENDING', 'UPLOAD_PROCESSING', 'READY', 'FAILED', 'REJECTED', 'ARCHIVED'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/**
 * - READY ⇄ ARCHIVED: take an asset off its library's file server, or put it back.
 * - READY, FAILED → UPLOAD_PROCESSING: process it again (a new processing job).
 * - UPLOAD_PENDING → FAILED: give up an upload that will not come.
 * REJECTED is final: its bytes are wrong, so it is deleted or uploaded again as a new asset.
 */
export const USER_TRANSITIONS: Readonly<Record<AssetStatus, readonly AssetStatus[]>> = {
  UPLOAD_PENDING: ['FAILED'],
  UPLOAD_PROCESSING: [],
  READY: ['ARCHIVED', 'UPLOAD_PROCESSING'],
  FAILED: ['UPLOAD_PROCESSING'],
  REJECTED: [],
  ARCHIVED: ['READY'],
};

export function canSetStatus(from: AssetStatus, to: AssetStatus): boolean {
  return from === to || USER_TRANSITIONS[from].includes(to);
}

/** Statuses whose bytes are stored and may be downloaded. */
export function hasStoredBytes(status: string): boolean {
  return status === 'UPLOAD_PROCESSING' || status === 'READY' || status === 'FAILED' || status === 'ARCHIVED';
}
