/**
 * API keys: how they are made, stored (a SHA-256 hash only: keys are 256 random bits, so a fast hash is
 * enough to make a leaked table useless) and shown (masked), and how their last use is remembered without a
 * database write per request.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Principal } from '../../core/identity.ts';
import type { Role } from '../kit/permissions.ts';
import type { AccountsDatabase, ApiKeyRow } from './store.ts';

/** Every column but the hash: what resolvers read, so the hash never travels further than it must. */
export const KEY_COLUMNS = [
  'id',
  'project_id',
  'user_id',
  'name',
  'masked_key',
  'role',
  'last_used_at',
  'created_at',
  'updated_at',
] as const;
export type KeyParent = Omit<ApiKeyRow, 'key_hash'>;

/** Says what the string is when it turns up in a log or a repository (secret scanners match on it). */
const KEY_PREFIX = 'cc_';

export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Enough to recognise a key in a list, far too little to use it: the first 6 and the last 4 characters. */
export function maskApiKey(key: string): string {
  return `${key.slice(0, 6)}...${key.slice(-4)}`;
}

export interface NewApiKey {
  projectId: string;
  /** The user who made the key (null when another key made it); the key's rights are `role` in the project. */
  userId: string | null;
  name: string;
  role: Role;
  /** The key itself when the operator chose it (BOOTSTRAP_ADMIN_KEY); generated otherwise. */
  key?: string;
}

/** Stores a new key as its hash and returns it in plain text: the only moment it exists as such. */
export async function createApiKey(
  db: Kysely<AccountsDatabase>,
  { projectId, userId, name, role, key = generateApiKey() }: NewApiKey,
): Promise<string> {
  const now = new Date().toISOString();
  await db
    .insertInto('api_keys')
    .values({
      id: randomUUID(),
      project_id: projectId,
      user_id: userId,
      name,
      key_hash: hashApiKey(key),
      masked_key: maskApiKey(key),
      role,
      last_used_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return key;
}

export async function authenticateApiKey(
  db: Kysely<AccountsDatabase>,
  key: string,
): Promise<Extract<Principal, { kind: 'apiKey' }> | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'project_id', 'user_id', 'role'])
    .where('key_hash', '=', hashApiKey(key))
    .executeTakeFirst();
  return row && { kind: 'apiKey', keyId: row.id, userId: row.user_id, roles: { [row.project_id]: row.role } };
}

/**
 * Remembers when each key was last used and writes the times in one batch every `flushMs` and at close.
 * Reads merge the pending times in, so `last_used_at` is current although the database lags behind;
 * a crash loses at most `flushMs` of last-use times, nothing else.
 */
export class LastUsedTracker {
  private pending = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: Kysely<AccountsDatabase>,
    flushMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.timer = setInterval(() => this.flush().catch(onError), flushMs).unref();
  }

  touch(keyId: string, at: Date): void {
    this.pending.set(keyId, at.toISOString());
  }

  /** The newest known last use: pending in memory or already written. */
  lastUsedAt(keyId: string, stored: string | null): string | null {
    return this.pending.get(keyId) ?? stored;
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const [id, at] of batch) {
          await trx.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
        }
      });
    } catch (error) {
      // Put the times back (unless a newer use came in meanwhile) so the next flush tries again.
      for (const [id, at] of batch) if (!this.pending.has(id)) this.pending.set(id, at);
      throw error;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
