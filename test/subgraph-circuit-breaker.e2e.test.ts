/**
 * The circuit breaker per subgraph through the gateway, with a fixture subgraph over HTTP that freezes:
 * consecutive timeouts open it, fetches then fail with SUBGRAPH_UNAVAILABLE without reaching the subgraph,
 * one probe goes through after the cool-down (half-open), and its success closes it again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTrafficPlatform, type TrafficPlatform } from './helpers/traffic-platform.ts';

let platform: TrafficPlatform | undefined;
afterEach(async () => {
  await platform?.stop();
  platform = undefined;
});

const UNAVAILABLE = {
  message: 'The alpha service could not be reached',
  path: ['alpha'],
  extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'alpha' },
};

describe('the circuit breaker', () => {
  it('opens on a frozen subgraph, fails fast while open, probes half-open, then closes', async () => {
    platform = await startTrafficPlatform(['alpha', 'beta'], {
      // Long enough for the held probe below on a machine under load.
      SUBGRAPH_TIMEOUT_MS: '4000',
      SUBGRAPH_BREAKER_FAILURES: '2',
      // Long enough for the fast answers below to come before it ends.
      SUBGRAPH_BREAKER_COOLDOWN_MS: '3000',
    });
    const alpha = platform.subgraphs.alpha!;
    const state = async () => ({
      ready: (await platform!.ready()).circuits.alpha,
      metric: await platform!.metric('gateway_subgraph_circuit_state', { subgraph: 'alpha' }),
    });
    expect(await state()).toEqual({ ready: 'closed', metric: 0 });

    alpha.otherwise = 'hold';
    for (let i = 0; i < 2; i++) {
      const { body } = await platform.query(`{ alpha(id: "${i}") }`);
      // A timeout stays the gateway's own (masked) error: the subgraph may be alive but slow.
      expect(body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    }
    expect(alpha.calls).toHaveLength(2);
    expect(await state()).toEqual({ ready: 'open', metric: 2 });
    const openedAt = Date.now();

    // Open: answered without a call, with the error of an unreachable subgraph; other subgraphs unaffected.
    for (let i = 0; i < 3; i++)
      expect((await platform.query(`{ alpha(id: "${i}") }`)).body).toEqual({ data: { alpha: null }, errors: [UNAVAILABLE] });
    expect(alpha.calls).toHaveLength(2);
    expect((await platform.query('{ beta(id: "1") }')).body).toEqual({ data: { beta: 'beta 1 for anonymous' } });

    // After the cool-down one probe goes through, held by the subgraph: meanwhile, half-open, others fail fast.
    alpha.release();
    await new Promise((resolve) => setTimeout(resolve, openedAt + 3100 - Date.now()));
    alpha.script('hold');
    alpha.otherwise = {};
    const probe = platform.query('{ alpha(id: "probe") }');
    await expect.poll(() => alpha.calls.length, { timeout: 5_000 }).toBe(3);
    expect(await state()).toEqual({ ready: 'half_open', metric: 1 });
    expect((await platform.query('{ alpha(id: "other") }')).body.errors).toEqual([UNAVAILABLE]);
    alpha.release();
    expect((await probe).body).toEqual({ data: { alpha: 'alpha probe for anonymous' } });
    expect(await state()).toEqual({ ready: 'closed', metric: 0 });
    expect((await platform.query('{ alpha(id: "after") }')).body).toEqual({ data: { alpha: 'alpha after for anonymous' } });
    expect(alpha.calls).toHaveLength(4);
  });

  it('opens again when the probe fails', async () => {
    platform = await startTrafficPlatform(['alpha'], {
      SUBGRAPH_BREAKER_FAILURES: '2',
      SUBGRAPH_BREAKER_COOLDOWN_MS: '1500',
      SUBGRAPH_RETRIES: '0',
    });
    const alpha = platform.subgraphs.alpha!;
    alpha.otherwise = { status: 503 };
    await platform.query('{ alpha(id: "1") }');
    await platform.query('{ alpha(id: "2") }');
    expect((await platform.ready()).circuits.alpha).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await platform.query('{ alpha(id: "probe") }')).body.errors?.[0]?.message).toBe('503: Service Unavailable');
    expect((await platform.ready()).circuits.alpha).toBe('open');
    expect((await platform.query('{ alpha(id: "3") }')).body.errors).toEqual([UNAVAILABLE]);
    expect(alpha.calls).toHaveLength(3);
  });
});
