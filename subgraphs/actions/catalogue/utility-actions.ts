/** Utilities: file hashes (node:crypto), QR codes (qrcode), email address checks. */
import { createHash } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { FILE_INPUT, type ActionDefinition } from './types.ts';

// The package is one JSON list of domains (about 120 000).
const DISPOSABLE: ReadonlySet<string> = new Set(createRequire(import.meta.url)('disposable-email-domains') as string[]);
// The WHATWG HTML email grammar: what browsers accept in <input type=email>.
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

/** true: the domain has mail servers; false: DNS says it has none; null: DNS did not answer. */
async function hasMailServer(domain: string): Promise<boolean | null> {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  try {
    return (await resolver.resolveMx(domain)).length > 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOTFOUND' || code === 'ENODATA' ? false : null;
  }
}

export interface UtilityOptions {
  /** Ask DNS for the domain's MX records (EMAIL_VERIFY_MX); off where DNS answers only for some names. */
  checkMx: boolean;
}

export function utilityActions({ checkMx }: UtilityOptions): ActionDefinition[] {
  return [
    {
      id: 'file-hash',
      name: 'File hash',
      description: 'Computes the SHA-256 (or SHA-1, SHA-512, MD5) digest of a file, in hex and base64.',
      category: 'utility',
      model: 'node:crypto',
      trigger_word: 'hash',
      cost_unit: 'file',
      unit_price_minor: 1,
      added_at: '2026-09-01',
      json_schema: {
        type: 'object',
        required: ['file'],
        additionalProperties: false,
        properties: { file: FILE_INPUT, algorithm: { type: 'string', enum: ['sha256', 'sha1', 'sha512', 'md5'], default: 'sha256' } },
      },
      async run({ file, algorithm = 'sha256' }: { file: string; algorithm?: string }, tools) {
        const bytes = await tools.readFile(file);
        const digest = createHash(algorithm).update(bytes).digest();
        return { algorithm, hex: digest.toString('hex'), base64: digest.toString('base64'), bytes: bytes.length };
      },
    },
    {
      id: 'qr-code',
      name: 'QR code',
      description: 'Encodes a text or URL as a QR code image, PNG or SVG. Returns artifact_url, format, bytes.',
      category: 'utility',
      model: 'qrcode',
      trigger_word: 'qr',
      cost_unit: 'image',
      unit_price_minor: 1,
      featured: true,
      added_at: '2026-09-01',
      json_schema: {
        type: 'object',
        required: ['text'],
        additionalProperties: false,
        properties: {
          text: { type: 'string', minLength: 1, maxLength: 2000 },
          format: { type: 'string', enum: ['png', 'svg'], default: 'png' },
        },
      },
      async run({ text, format = 'png' }: { text: string; format?: 'png' | 'svg' }, tools) {
        const bytes =
          format === 'svg'
            ? Buffer.from(await QRCode.toString(text, { type: 'svg', margin: 2 }))
            : await QRCode.toBuffer(text, { type: 'png', margin: 2, width: 512 });
        return {
          artifact_url: await tools.saveArtifact(bytes, format === 'svg' ? 'image/svg+xml' : 'image/png'),
          format,
          bytes: bytes.length,
        };
      },
    },
    {
      id: 'email-verify',
      name: 'Verify email address',
      description:
        'Checks an email address: syntax, whether its domain is a disposable-mail service, and (when DNS answers) whether the domain receives mail.',
      category: 'utility',
      model: 'disposable-email-domains, DNS MX',
      trigger_word: 'email',
      cost_unit: 'request',
      unit_price_minor: 1,
      added_at: '2026-09-01',
      json_schema: {
        type: 'object',
        required: ['email'],
        additionalProperties: false,
        properties: { email: { type: 'string', minLength: 1, maxLength: 320 } },
      },
      async run({ email }: { email: string }) {
        const address = email.trim();
        const at = address.lastIndexOf('@');
        if (address.length > 254 || at > 64 || !EMAIL.test(address))
          return { valid: false, reason: 'invalid-syntax', disposable: false, mx: null };
        const domain = address.slice(at + 1).toLowerCase();
        const disposable = DISPOSABLE.has(domain);
        const mx = checkMx ? await hasMailServer(domain) : null;
        if (mx === false) return { valid: false, reason: 'no-mail-server', disposable, mx };
        return { valid: true, reason: disposable ? 'disposable' : 'ok', disposable, mx };
      },
    },
  ];
}
