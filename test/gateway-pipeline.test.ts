/**
 * The pipeline without any transport: its stages run over a GatewayRequest made by hand, in the order
 * pipeline.ts writes down, as a WebSocket or SSE transport will run them.
 */
import { describe, expect, it } from 'vitest';
import { AuthenticationError, authenticationStage, refuseFailedAuthentication } from '../gateway/pipeline/authentication.ts';
import { documentLimitsStage } from '../gateway/pipeline/document-limits.ts';
import { createGatewayRequest, type GatewayRequest, type PipelineAnswer } from '../gateway/pipeline/gateway-request.ts';
import { DEFAULT_OPERATION_LIMITS } from '../gateway/pipeline/operation-limits.ts';
import { createPipeline } from '../gateway/pipeline/pipeline.ts';
import { createPersistedDocuments } from '../gateway/pipeline/persisted-documents.ts';
import { documentHash } from '../gateway/pipeline/persisted-manifest.ts';
import { createRateLimits } from '../gateway/pipeline/rate-limit.ts';
import { ANONYMOUS, type Principal } from '../core/identity.ts';
import { silentLogger } from './helpers/platform.ts';

const ADMIN: Principal = { kind: 'apiKey', keyId: 'k1', userId: null, roles: { p1: 'ADMIN' } };

async function pipelineWith(limits = { anonymous: 2, authenticated: 5, READONLY: 5, FINANCE: 5, DEVELOPER: 5, ADMIN: 5 }) {
  const executed: GatewayRequest[] = [];
  const rateLimits = await createRateLimits({
    limits,
    windowMs: 60_000,
    loginLimit: 1,
    loginWindowMs: 60_000,
    loginFields: () => new Set(['login']),
    logger: silentLogger,
  });
  const pipeline = createPipeline({
    authenticate: authenticationStage(async (request) => {
      if (request.headers.authorization === 'Bearer admin') return ADMIN;
      if (request.headers.authorization) throw new AuthenticationError('Invalid credentials: unknown key');
      return ANONYMOUS;
    }),
    limitRequests: rateLimits.limitRequests,
    resolvePersistedDocuments: createPersistedDocuments({ logger: silentLogger }).resolveDocuments,
    limitLoginAttempts: rateLimits.limitLoginAttempts,
    refuseFailedAuthentication,
    checkDocumentLimits: documentLimitsStage(DEFAULT_OPERATION_LIMITS),
    execute: async (request): Promise<PipelineAnswer> => {
      executed.push(request);
      return { status: 200, headers: [], body: { data: { executed: true } } };
    },
  });
  const run = (body: unknown, headers: Record<string, string> = {}, ip = '10.0.0.1') => {
    const request = createGatewayRequest({ id: 'r1', method: 'POST', headers, ip, search: '', query: {}, log: silentLogger });
    request.body = body;
    return pipeline.run(request).then((answer) => ({ answer, request }));
  };
  return { run, executed };
}

describe('the pipeline, without a transport', () => {
  it('counts a refused credential against its address before refusing it, then limits the address', async () => {
    const { run, executed } = await pipelineWith();
    const first = await run({ query: '{ open }' }, { authorization: 'Bearer nope' });
    expect(first.answer).toMatchObject({
      status: 200,
      body: { errors: [{ message: 'Invalid credentials: unknown key', extensions: { code: 'UNAUTHENTICATED' } }] },
    });
    expect(first.request.responseHeaders).toMatchObject({ 'ratelimit-limit': 2, 'ratelimit-remaining': 1 });
    await run({ query: '{ open }' });
    const limited = await run({ query: '{ open }' });
    expect(limited.answer.status).toBe(429);
    expect(Object.fromEntries(limited.answer.headers)).toMatchObject({ 'ratelimit-remaining': 0, 'retry-after': 60 });
    expect(limited.answer.body).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED', retryAfter: 60 } }] });
    expect(executed).toHaveLength(1);
  });

  it('settles the principal for execution, and refuses a document over its limits before executing it', async () => {
    const { run, executed } = await pipelineWith();
    const served = await run({ query: '{ open }' }, { authorization: 'Bearer admin' });
    expect(served.answer.body).toEqual({ data: { executed: true } });
    expect(executed[0]!.principal).toEqual(ADMIN);
    expect(served.request.responseHeaders).toMatchObject({ 'ratelimit-limit': 5 });

    let attack = '{ ...F0 }';
    for (let level = 0; level < 4; level++)
      attack += ` fragment F${level} on Query { ${Array(64)
        .fill(`...F${level + 1}`)
        .join(' ')} }`;
    const refused = await run({ query: `${attack} fragment F4 on Query { open }` }, { authorization: 'Bearer admin' });
    expect(refused.answer).toMatchObject({
      status: 400,
      body: { errors: [{ extensions: { code: 'MAX_RECURSIVE_SELECTIONS_EXCEEDED' } }] },
    });
    expect(executed).toHaveLength(1);
  });

  it('counts every login attempt of the payload before anything runs', async () => {
    const { run, executed } = await pipelineWith();
    expect((await run({ query: '{ a: login b: login }' }, { authorization: 'Bearer admin' })).answer.status).toBe(429);
    expect(executed).toHaveLength(0);
  });

  it('counts the login attempts of a document sent by hash alone, once automatic persisted queries know it', async () => {
    const { run, executed } = await pipelineWith();
    const query = '{ login }';
    const persistedQuery = { version: 1, sha256Hash: documentHash(query) };
    const registered = await run({ query, extensions: { persistedQuery } }, { authorization: 'Bearer admin' });
    expect(registered.answer.body).toEqual({ data: { executed: true } });
    // Apollo Server is handed the text, and no hash it would refuse with its own APQ off.
    expect(executed[0]!.body).toEqual({ query });

    const byHash = await run({ extensions: { persistedQuery } }, { authorization: 'Bearer admin' });
    expect(byHash.answer.status).toBe(429);
    expect(byHash.answer.body).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    expect(executed).toHaveLength(1);
  });
});
