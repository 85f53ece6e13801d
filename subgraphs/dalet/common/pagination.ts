/**
 * The `select: Pagination` of every list: `first` results (PageLength, 1 to 1000; 100 when not given) after
 * the opaque cursor `after`; `totalCount` counts every match, `pageInfo` tells where the page ends.
 */
import type { SelectQueryBuilder } from 'kysely';
import { invalidInput } from './errors.ts';

export const DEFAULT_PAGE_LENGTH = 100;

export interface PaginationInput {
  first?: number | null;
  after?: string | null;
}

export interface Page<T> {
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  items: T[];
}

export function encodeCursor(key: number): string {
  return Buffer.from(`k:${key}`).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): number | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const match = /^k:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalidInput('after', cursor, 'WRONG_FORMAT', 'Not a cursor this API returned');
  return Number(match[1]);
}

/**
 * One page of `query` (already filtered), ordered by its integer `id` column: a count, then the rows
 * after the cursor. Keyset pagination, so a page stays right while rows are added before it.
 */
export async function pageOf<T extends { id: number }>(
  query: SelectQueryBuilder<any, any, any>,
  select: PaginationInput | null | undefined,
  idColumn: string,
): Promise<Page<T>> {
  const first = select?.first ?? DEFAULT_PAGE_LENGTH;
  const after = decodeCursor(select?.after);
  const counted = await query
    .clearSelect()
    .select((eb: any) => eb.fn.countAll().as('count'))
    .executeTakeFirst();
  let rows = query
    .selectAll()
    .orderBy(idColumn)
    .limit(first + 1);
  if (after !== undefined) rows = rows.where(idColumn, '>', after);
  const found = (await rows.execute()) as T[];
  const items = found.slice(0, first);
  const last = items.at(-1);
  return {
    totalCount: Number((counted as { count: number | string } | undefined)?.count ?? 0),
    pageInfo: { endCursor: last ? encodeCursor(last.id) : null, hasNextPage: found.length > first },
    items,
  };
}

/** The same page over a list already in memory and in order (the site configuration). */
export function pageOfList<T>(list: T[], select: PaginationInput | null | undefined): Page<T> {
  const first = select?.first ?? DEFAULT_PAGE_LENGTH;
  const start = decodeCursor(select?.after) ?? 0;
  const items = list.slice(start, start + first);
  const end = start + items.length;
  return {
    totalCount: list.length,
    pageInfo: { endCursor: items.length ? encodeCursor(end) : null, hasNextPage: end < list.length },
    items,
  };
}
