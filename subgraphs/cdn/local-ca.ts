/**
 * The local certificate authority that issues validated certificates when no ACME server is configured:
 * an ECDSA P-256 key and a self-signed CA certificate kept in DATA_DIR (made once, shared by every replica
 * and edge reading that folder), with @peculiar/x509 over Node's WebCrypto. Issued private keys are stored
 * encrypted (key-encryption.ts).
 */
import { generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { loadOrCreateFile } from '../../core/data-files.ts';
import type { KeyEncryption } from './key-encryption.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
/** CloudFront accepts certificates valid up to 13 months; ACM issues 395 days. */
const LEAF_DAYS = 395;

export interface IssuedCertificate {
  certificatePem: string;
  chainPem: string;
  privateKeyEncrypted: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
}

export interface LocalCa {
  issue(domainName: string): Promise<IssuedCertificate>;
}

/** A new ECDSA P-256 private key, PKCS#8 PEM: every certificate key (local CA and ACME) and the ACME account key. */
export const generatePkcs8 = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

async function importPrivate(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, EC, true, ['sign']) as Promise<CryptoKey>;
}

async function publicOf(privateKey: CryptoKey): Promise<CryptoKey> {
  const jwk = await webcrypto.subtle.exportKey('jwk', privateKey as webcrypto.CryptoKey);
  delete jwk.d;
  delete jwk.key_ops;
  return webcrypto.subtle.importKey('jwk', jwk, EC, true, ['verify']) as Promise<CryptoKey>;
}

export async function openLocalCa(dataDir: string, keys: KeyEncryption): Promise<LocalCa> {
  const caKey = await importPrivate(loadOrCreateFile(dataDir, 'cdn-ca-key.pem', generatePkcs8));
  const caPublic = await publicOf(caKey);
  const caName = 'CN=Cognitive Cloud CDN Local CA';
  const draft = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: caName,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 3650 * DAY_MS),
    keys: { privateKey: caKey, publicKey: caPublic },
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  // Another process may have written it first: theirs is the one everyone uses.
  const caPem = loadOrCreateFile(dataDir, 'cdn-ca.pem', () => draft.toString('pem'));
  const caCertificate = new x509.X509Certificate(caPem);

  return {
    async issue(domainName) {
      const pkcs8 = generatePkcs8();
      const privateKey = await importPrivate(pkcs8);
      const notBefore = new Date(Date.now() - 60_000);
      const notAfter = new Date(notBefore.getTime() + LEAF_DAYS * DAY_MS);
      const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: randomBytes(16)
          .toString('hex')
          .replace(/^[89a-f]/, '1'),
        subject: `CN=${domainName}`,
        issuer: caCertificate.subject,
        notBefore,
        notAfter,
        signingKey: caKey,
        publicKey: await publicOf(privateKey),
        signingAlgorithm: SIGNING,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: domainName }]),
        ],
      });
      return {
        certificatePem: certificate.toString('pem'),
        chainPem: caPem,
        privateKeyEncrypted: keys.encrypt(pkcs8),
        issuer: caName.slice(3),
        notBefore,
        notAfter,
      };
    },
  };
}
