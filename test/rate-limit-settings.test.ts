import { describe, expect, it } from 'vitest';
import { ConfigError, parseGatewayConfig } from '../gateway/config.ts';
import { RATE_LIMIT_DEFAULTS } from '../gateway/pipeline/rate-limit.ts';

const parse = (env: Record<string, string>) => parseGatewayConfig(env);

describe('rate-limit and metrics settings', () => {
  it('default to documented values', () => {
    const config = parse({});
    expect(config.rateLimits).toEqual({ anonymous: 100, authenticated: 300, READONLY: 600, FINANCE: 600, DEVELOPER: 1200, ADMIN: 1200 });
    expect(config.rateLimits).toEqual(RATE_LIMIT_DEFAULTS.limits);
    expect([config.rateLimitWindowMs, config.loginRateLimit, config.loginRateLimitWindowMs]).toEqual([60_000, 10, 600_000]);
    expect([config.redisUrl, config.trustProxy, config.metricsToken, config.metricsMaxOperationNames]).toEqual([
      undefined,
      false,
      undefined,
      50,
    ]);
    // /metrics on a loopback server of its own, as Apollo Router serves its metrics, never on the public port.
    expect([config.metricsHost, config.metricsPort, config.port]).toEqual(['127.0.0.1', 9090, 4000]);
  });

  it('take overrides, keeping the defaults of the kinds of caller not named', () => {
    const config = parse({
      RATE_LIMITS: 'anonymous=5, ADMIN=5000',
      REDIS_URL: 'redis://:secret@cache:6379/2',
      TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
      METRICS_PORT: '9464',
    });
    expect(config.rateLimits).toEqual({ ...RATE_LIMIT_DEFAULTS.limits, anonymous: 5, ADMIN: 5000 });
    expect(config.redisUrl).toBe('redis://:secret@cache:6379/2');
    expect(config.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(config.metricsPort).toBe(9464);
    expect(parse({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });

  it('refuse invalid values with an error that names the variable', () => {
    const refusals: [Record<string, string>, RegExp][] = [
      [{ RATE_LIMITS: 'admin=5' }, /^RATE_LIMITS .*anonymous, authenticated, ADMIN, DEVELOPER, READONLY, FINANCE; got "admin=5"/],
      [{ RATE_LIMITS: 'ADMIN=lots' }, /^RATE_LIMITS/],
      [{ RATE_LIMIT_WINDOW_MS: '0' }, /^RATE_LIMIT_WINDOW_MS/],
      [{ LOGIN_RATE_LIMIT: '-1' }, /^LOGIN_RATE_LIMIT/],
      [{ REDIS_URL: 'http://cache:6379' }, /^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL$/],
      [{ TRUST_PROXY: 'proxy.internal' }, /^TRUST_PROXY .*got "proxy.internal"/],
      [{ METRICS_PORT: '70000' }, /^METRICS_PORT/],
      [{ METRICS_TOKEN: 'short' }, /^METRICS_TOKEN must be at least 16 characters/],
      [{ PORT: '8080', METRICS_PORT: '8080' }, /^METRICS_PORT equal to PORT serves \/metrics on the public port: set METRICS_TOKEN too$/],
      [{ METRICS_MAX_OPERATION_NAMES: '0' }, /^METRICS_MAX_OPERATION_NAMES/],
    ];
    for (const [env, message] of refusals) {
      expect(() => parse(env)).toThrow(ConfigError);
      expect(() => parse(env)).toThrow(message);
    }
  });

  it('never put a Redis password in an error', () => {
    expect(() => parse({ REDIS_URL: 'http://:hunter2@cache' })).toThrow(/^(?!.*hunter2)/);
  });
});
