/**
 * Issuing through an ACME server (ACME_DIRECTORY_URL) with acme-client and the DNS-01 challenge. The order is
 * made when the certificate is requested, so that request_certificate can answer the TXT record its challenge
 * wants (`_acme-challenge.<domain>` holding the key authorization's digest); the user publishes it, as ACM's
 * CNAME. Once the record resolves, `issue` answers the challenge, finalizes the order with a CSR of the key
 * made at request time and downloads the certificate. The account key is made once per directory, kept
 * encrypted in `acme_accounts`, and shared by every replica.
 */
import { rootCertificates } from 'node:tls';
import { Agent } from 'node:https';
import * as acme from 'acme-client';
import type { Kysely } from 'kysely';
import type { KeyEncryption } from './key-encryption.ts';
import { generatePkcs8, type IssuedCertificate } from './local-ca.ts';
import type { AcmeSettings } from './settings.ts';
import type { CdnDatabase } from './store.ts';

export interface AcmeOrder {
  orderUrl: string;
  recordName: string;
  recordValue: string;
}

/** The ACME server refused the certificate for good (an invalid challenge or order): the certificate FAILED. */
export class CertificateRefused extends Error {
  constructor(readonly failureReason: string) {
    super(`the ACME server refused the certificate (${failureReason})`);
  }
}

export interface AcmeIssuer {
  order(domainName: string): Promise<AcmeOrder>;
  /** `privateKeyPem`: the certificate's key, made at request time. */
  issue(orderUrl: string, domainName: string, privateKeyPem: string): Promise<Omit<IssuedCertificate, 'privateKeyEncrypted'>>;
}

// ACM's failure reasons for what an ACME problem document says (RFC 8555 section 6.7).
function failureReason(problem: object | undefined): string {
  const type = (problem as { type?: string } | undefined)?.type ?? '';
  if (type.endsWith(':caa')) return 'CAA_ERROR';
  if (type.endsWith(':rejectedIdentifier')) return 'DOMAIN_NOT_ALLOWED';
  return 'OTHER';
}

export function createAcmeIssuer(settings: AcmeSettings, db: Kysely<CdnDatabase>, keys: KeyEncryption): AcmeIssuer {
  if (settings.caPem) {
    // acme-client sends through its one axios instance: its HTTPS trusts ACME_CA_FILE beside the system's CAs.
    acme.axios.defaults.httpsAgent = new Agent({ ca: [...rootCertificates, settings.caPem] });
  }

  async function accountKey(): Promise<string> {
    const read = () =>
      db.selectFrom('acme_accounts').select('private_key_encrypted').where('directory_url', '=', settings.directoryUrl).executeTakeFirst();
    const stored = await read();
    if (stored) return keys.decrypt(stored.private_key_encrypted);
    await db
      .insertInto('acme_accounts')
      .values({
        directory_url: settings.directoryUrl,
        private_key_encrypted: keys.encrypt(generatePkcs8()),
        created_at: new Date().toISOString(),
      })
      .onConflict((conflict) => conflict.column('directory_url').doNothing())
      .execute();
    // Another replica may have written first: theirs is the account everyone uses.
    return keys.decrypt((await read())!.private_key_encrypted);
  }

  let client: Promise<acme.Client> | undefined;
  function connect(): Promise<acme.Client> {
    client ??= (async () => {
      // Short waits between status polls: a DNS-01 validation takes seconds, not acme-client's default minutes.
      const made = new acme.Client({
        directoryUrl: settings.directoryUrl,
        accountKey: await accountKey(),
        backoffMin: 500,
        backoffMax: 5_000,
      });
      // With a known key the server answers the existing account (RFC 8555 section 7.3.1).
      await made.createAccount({ termsOfServiceAgreed: true, ...(settings.email ? { contact: [`mailto:${settings.email}`] } : {}) });
      return made;
    })().catch((error: unknown) => {
      client = undefined; // the next call tries again (the server may be back)
      throw error;
    });
    return client;
  }

  async function dnsChallenge(acmeClient: acme.Client, order: acme.Order) {
    const [authorization] = await acmeClient.getAuthorizations(order);
    const challenge = authorization?.challenges.find((offered) => offered.type === 'dns-01');
    if (!authorization || !challenge) throw new CertificateRefused('OTHER');
    return { authorization, challenge };
  }

  return {
    async order(domainName) {
      const acmeClient = await connect();
      const order = await acmeClient.createOrder({ identifiers: [{ type: 'dns', value: domainName }] });
      const { authorization, challenge } = await dnsChallenge(acmeClient, order);
      return {
        orderUrl: order.url,
        // A wildcard's authorization names its base: the record is the same as for the base name.
        recordName: `_acme-challenge.${authorization.identifier.value}.`,
        recordValue: await acmeClient.getChallengeKeyAuthorization(challenge),
      };
    },

    async issue(orderUrl, domainName, privateKeyPem) {
      const acmeClient = await connect();
      let order = await acmeClient.getOrder({ url: orderUrl } as acme.Order);
      if (order.status === 'pending') {
        const { challenge } = await dnsChallenge(acmeClient, order);
        if (challenge.status === 'pending') await acmeClient.completeChallenge(challenge);
        await acmeClient.waitForValidStatus(challenge).catch(() => undefined);
        order = await acmeClient.getOrder(order);
      }
      if (order.status === 'invalid') {
        const { challenge } = await dnsChallenge(acmeClient, order);
        throw new CertificateRefused(failureReason(challenge.error ?? order.error));
      }
      if (order.status === 'pending') throw new Error('the DNS-01 challenge is not valid yet');
      if (order.status === 'ready') {
        const [, csr] = await acme.crypto.createCsr({ commonName: domainName }, privateKeyPem);
        order = await acmeClient.finalizeOrder(order, csr);
      }
      const [leaf, ...chain] = acme.crypto.splitPemChain(await acmeClient.getCertificate(order));
      const info = acme.crypto.readCertificateInfo(leaf!);
      return {
        certificatePem: leaf!,
        chainPem: chain.join('\n'),
        issuer: info.issuer.commonName ?? 'ACME',
        notBefore: info.notBefore,
        notAfter: info.notAfter,
      };
    },
  };
}
