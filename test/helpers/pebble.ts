/**
 * Debian's `pebble` (an ACME test server) and `pebble-challtestsrv` (its mock DNS, whose HTTP management API
 * adds TXT records), on free loopback ports, in a temp folder. Pebble's HTTPS certificate is made here
 * (the package ships none): `caFile` is what ACME_CA_FILE points at. Pebble resolves through challtestsrv,
 * so a record the test adds is what its DNS-01 validation sees; `dnsAddress` is for CDN_DNS_SERVERS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { freePort } from './free-port.ts';

export interface Pebble {
  directoryUrl: string;
  caFile: string;
  dnsAddress: string;
  /** Publishes a TXT record in the mock DNS (`name` with or without the final dot). */
  setTxt(name: string, value: string): Promise<void>;
  /** The root that signs pebble's intermediate, which signs what it issues (its management API's /roots/0). */
  rootPem(): Promise<string>;
  stop(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 and localhost: pebble's HTTPS. */
async function selfSigned(): Promise<{ certificatePem: string; keyPem: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = {
    privateKey: (await webcrypto.subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), algorithm, true, [
      'sign',
    ])) as CryptoKey,
    publicKey: (await webcrypto.subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), algorithm, true, [
      'verify',
    ])) as CryptoKey,
  };
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(8).toString('hex')}`,
    name: 'CN=pebble test server',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'dns', value: 'localhost' },
      ]),
    ],
  });
  return { certificatePem: certificate.toString('pem'), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function run(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore', env: { ...process.env, ...env } });
  child.on('error', () => {}); // a missing binary shows as the wait below failing
  return child;
}

function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (answer) => {
      let body = '';
      answer.on('data', (chunk) => (body += chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

export async function startPebble(): Promise<Pebble> {
  const dir = mkdtempSync(join(tmpdir(), 'pebble-'));
  const [acmePort, managementPort, dnsPort, challengeManagementPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const { certificatePem, keyPem } = await selfSigned();
  const caFile = join(dir, 'pebble-https.pem');
  writeFileSync(caFile, certificatePem);
  writeFileSync(join(dir, 'pebble-https-key.pem'), keyPem);
  writeFileSync(
    join(dir, 'pebble.json'),
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acmePort}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: caFile,
        privateKey: join(dir, 'pebble-https-key.pem'),
        // Ports of the HTTP-01 and TLS-ALPN-01 challenges, unused here (DNS-01 only).
        httpPort: await freePort(),
        tlsPort: await freePort(),
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const dnsAddress = `127.0.0.1:${dnsPort}`;
  const challtestsrv = run('pebble-challtestsrv', [
    '-management',
    `127.0.0.1:${challengeManagementPort}`,
    '-dns01',
    dnsAddress,
    '-http01',
    '',
    '-https01',
    '',
    '-tlsalpn01',
    '',
  ]);
  // No sleeps before validating, no nonces refused at random (pebble's defaults mimic a busy real server).
  const pebble = run('pebble', ['-config', join(dir, 'pebble.json'), '-dnsserver', dnsAddress], {
    PEBBLE_VA_NOSLEEP: '1',
    PEBBLE_WFE_NONCEREJECT: '0',
  });
  const directoryUrl = `https://127.0.0.1:${acmePort}/dir`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await Promise.all([
      httpsGet(directoryUrl, certificatePem).then(
        (answer) => answer.status === 200,
        () => false,
      ),
      fetch(`http://127.0.0.1:${challengeManagementPort}/`).then(
        () => true,
        () => false,
      ),
    ]);
    if (up.every(Boolean)) break;
    if (Date.now() > deadline) throw new Error('pebble or pebble-challtestsrv did not start (apt-get install pebble)');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    directoryUrl,
    caFile,
    dnsAddress,
    async setTxt(name, value) {
      const host = name.endsWith('.') ? name : `${name}.`;
      const answer = await fetch(`http://127.0.0.1:${challengeManagementPort}/set-txt`, {
        method: 'POST',
        body: JSON.stringify({ host, value }),
      });
      if (!answer.ok) throw new Error(`challtestsrv refused the TXT record: ${answer.status}`);
    },
    async rootPem() {
      const answer = await httpsGet(`https://127.0.0.1:${managementPort}/roots/0`, certificatePem);
      if (answer.status !== 200) throw new Error(`pebble's root: ${answer.status}`);
      return answer.body;
    },
    async stop() {
      for (const child of [pebble, challtestsrv]) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
