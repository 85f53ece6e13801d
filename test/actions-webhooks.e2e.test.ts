import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startActionsPlatform, type ActionsPlatform } from './helpers/actions-platform.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that answers each delivery with the next status of `statuses`, then 200. */
async function startReceiver(
  statuses: number[] = [],
): Promise<{ server: Server; url: string; received: Received[]; next(count: number): Promise<void> }> {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(statuses.shift() ?? 200).end();
      for (const waiter of waiters.filter((entry) => received.length >= entry.count)) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    next: (count) => new Promise<void>((resolve) => (received.length >= count ? resolve() : waiters.push({ count, resolve }))),
  };
}

const outboxOf = (platform: ActionsPlatform, jobId: string) =>
  platform.subgraphs
    .actions!.store.db.selectFrom('queue_jobs')
    .selectAll()
    .where('idempotency_key', '=', `webhook:${jobId}`)
    .executeTakeFirst();

describe('webhooks', () => {
  let platform: ActionsPlatform;
  beforeAll(async () => (platform = await startActionsPlatform({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' })), 60_000);
  afterAll(() => platform?.stop());

  it("posts one webhook signed per Standard Webhooks with the project's secret, retried after a 500", async () => {
    const receiver = await startReceiver([500]);
    try {
      const job = await platform.runJob(ADMIN_KEY, 'text-sentiment', { text: 'great' }, { webhookUrl: receiver.url });
      expect(job.status).toBe('COMPLETED');
      await receiver.next(2);
      const [failed, delivered] = receiver.received;
      expect(failed!.headers['webhook-id']).toBe(delivered!.headers['webhook-id']);
      expect(failed!.body).toBe(delivered!.body);

      const secret = (
        await platform.ok(ADMIN_KEY, 'query ($id: String!) { get_project(id: $id) { webhook_signing_secret } }', { id: platform.projectId })
      ).get_project.webhook_signing_secret;
      expect(secret).toMatch(/^whsec_/);
      const payload = new Webhook(secret).verify(delivered!.body, delivered!.headers as Record<string, string>) as any;
      expect(payload).toMatchObject({
        type: 'job.completed',
        data: { id: job.id, status: 'COMPLETED', project_id: platform.projectId, response: { label: 'positive' } },
      });
      expect(() =>
        new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
          delivered!.body,
          delivered!.headers as Record<string, string>,
        ),
      ).toThrow();

      const outbox = await outboxOf(platform, job.id);
      expect(outbox).toMatchObject({ status: 'COMPLETED', attempts: 2 });
      // Nothing more arrives: one delivery taken, no other.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.received).toHaveLength(2);
    } finally {
      receiver.server.close();
    }
  });

  it('announces a failed job too', async () => {
    const receiver = await startReceiver();
    try {
      const job = await platform.runJob(ADMIN_KEY, 'image-metadata', { image: 'data:image/png;base64,AAAA' }, { webhookUrl: receiver.url });
      expect(job.status).toBe('FAILED');
      await receiver.next(1);
      expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
        type: 'job.failed',
        data: { id: job.id, status: 'FAILED', error_message: job.error_message },
      });
    } finally {
      receiver.server.close();
    }
  });
});

describe('webhooks and file inputs without the allow list', () => {
  let platform: ActionsPlatform;
  beforeAll(async () => (platform = await startActionsPlatform()), 60_000);
  afterAll(() => platform?.stop());

  it('refuses a webhook to 127.0.0.1 before any job exists', async () => {
    const receiver = await startReceiver();
    try {
      for (const url of [receiver.url, 'http://[::1]:9/hook', 'http://10.0.0.1/hook', 'http://169.254.169.254/latest/meta-data']) {
        const { body } = await platform.as(
          ADMIN_KEY,
          'mutation ($h: String) { run_job(action_id: "text-sentiment", payload: { text: "x" }, webhook_url: $h) { id } }',
          { h: url },
        );
        expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'webhook_url' });
      }
      const notHttp = await platform.as(
        ADMIN_KEY,
        'mutation { run_job(action_id: "text-sentiment", payload: { text: "x" }, webhook_url: "file:///etc/passwd") { id } }',
      );
      expect(notHttp.body.errors?.[0]?.extensions?.argumentName).toBe('webhook_url');
      expect(await platform.subgraphs.actions!.store.db.selectFrom('jobs').select('id').execute()).toHaveLength(0);
    } finally {
      receiver.server.close();
    }
  });

  it('refuses, at connect time, a name that resolves to loopback: the job completes, the webhook never leaves', async () => {
    const receiver = await startReceiver();
    try {
      const job = await platform.runJob(
        ADMIN_KEY,
        'text-sentiment',
        { text: 'x' },
        { webhookUrl: receiver.url.replace('127.0.0.1', 'localhost') },
      );
      expect(job.status).toBe('COMPLETED');
      let outbox = await outboxOf(platform, job.id);
      for (let tries = 0; tries < 100 && outbox?.status !== 'FAILED'; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        outbox = await outboxOf(platform, job.id);
      }
      expect(outbox).toMatchObject({ status: 'FAILED', attempts: 1 });
      expect(outbox?.error).toMatch(/refused \(address\)/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      receiver.server.close();
    }
  });

  it('fails a job whose file input is a loopback URL, without fetching it', async () => {
    const receiver = await startReceiver();
    try {
      const job = await platform.runJob(ADMIN_KEY, 'file-hash', { file: receiver.url });
      expect(job.status).toBe('FAILED');
      expect(job.error_message).toMatch(/refused \(address\)/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      receiver.server.close();
    }
  });
});
