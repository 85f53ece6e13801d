/**
 * Job webhooks, signed as the Standard Webhooks spec says (headers `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` with the project's secret),
 * posted through the outbound guard. The `webhook-id` is stable per job, so a receiver that gets a retry
 * after a lost answer can tell it already has it.
 */
import { Webhook } from 'standardwebhooks';
import { TransientError } from '../kit/queue/index.ts';
import { OutboundRefused, type OutboundGuard } from '../kit/outbound/index.ts';
import type { Keyring } from './secret.ts';

export interface WebhookDelivery {
  url: string;
  project_id: string;
  /** The webhook-id header. */
  message_id: string;
  /** The JSON body. */
  body: Record<string, unknown>;
}

export function createWebhookSender({ guard, keyring, timeoutMs }: { guard: OutboundGuard; keyring: Keyring; timeoutMs: number }) {
  return async (delivery: WebhookDelivery): Promise<{ status: number }> => {
    const body = JSON.stringify(delivery.body);
    const timestamp = new Date();
    const signature = new Webhook(keyring.webhookSecret(delivery.project_id)).sign(delivery.message_id, timestamp, body);
    try {
      const response = await guard.fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'cognitive-cloud-webhooks',
          'webhook-id': delivery.message_id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        maxBytes: 64 * 1024,
        timeoutMs,
      });
      if (response.status < 200 || response.status >= 300) throw new TransientError(`the webhook answered HTTP ${response.status}`);
      return { status: response.status };
    } catch (error) {
      // A refused address stays refused: no retry.
      if (error instanceof OutboundRefused && error.reason !== 'timeout')
        throw new Error(`the webhook URL was refused (${error.reason}): ${error.message}`);
      if (error instanceof TransientError) throw error;
      throw new TransientError(`the webhook could not be delivered: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
