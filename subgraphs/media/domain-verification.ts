/**
 * The `verify-domain` job: looks up the TXT record `_media-verification.<domain>` and marks the domain
 * verified when it holds `media-verification=<token>`. Not there yet is retried with the queue's backoff
 * (600 looks, capped at 5 minutes apart and jittered: about a day); after that, the domain is deleted and
 * added again to try once more.
 */
import { Resolver } from 'node:dns/promises';
import type { Kysely } from 'kysely';
import { TransientError } from '../kit/queue/index.ts';
import { verificationRecord } from './domains.ts';
import type { MediaDatabase } from './store.ts';

export const VERIFY_DOMAIN_JOB = 'verify-domain';
export const VERIFY_DOMAIN_MAX_ATTEMPTS = 600;

export interface DomainVerifierOptions {
  db: Kysely<MediaDatabase>;
  /** MEDIA_DNS_SERVERS; default the system's resolvers. */
  dnsServers?: string[];
}

export function createDomainVerifier({ db, dnsServers }: DomainVerifierOptions) {
  const resolver = new Resolver({ timeout: 5000, tries: 2 });
  if (dnsServers) resolver.setServers(dnsServers);
  return async function verifyDomain({ domainId }: { domainId: string }): Promise<{ verified: boolean }> {
    const domain = await db.selectFrom('custom_domains').selectAll().where('id', '=', domainId).executeTakeFirst();
    if (!domain) return { verified: false };
    if (domain.verified_at) return { verified: true };
    const record = verificationRecord(domain.domain, domain.verification_token);
    const found = await resolver.resolveTxt(record.name).catch(() => [] as string[][]);
    if (!found.some((chunks) => chunks.join('') === record.value))
      throw new TransientError(`no TXT record ${record.name} with the expected value yet`);
    await db.updateTable('custom_domains').set({ verified_at: new Date().toISOString() }).where('id', '=', domainId).execute();
    return { verified: true };
  };
}
