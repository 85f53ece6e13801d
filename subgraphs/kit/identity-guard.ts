/**
 * The check a service makes on every signed request it receives (identity.ts): the signature covers this
 * service, this method, path, body and request id, it is fresh, and a request that writes is not a replay.
 * `keepRawBodies` must be registered on the app first: the signature covers the body as sent, not as parsed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Kind, parse } from 'graphql';
import { verifyIdentity, type IdentityVerdict, type ReceivedRequest } from '../../core/identity.ts';
import type { ReplayGuard } from './replay-guard.ts';

export type GuardVerdict = IdentityVerdict | { ok: false; reason: 'replayed' };

export interface IdentityGuard {
  /** `writes`: the request changes something, so its nonce is accepted once. */
  check(request: FastifyRequest, { writes }: { writes: boolean }): Promise<GuardVerdict>;
}

export interface IdentityGuardOptions {
  secret: string;
  /** This service's name, as the caller signs it. */
  audience: string;
  /** IDENTITY_WINDOW_MS. */
  windowMs: number;
  replay: ReplayGuard;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as received, for JSON bodies (keepRawBodies). */
    rawBody?: string;
  }
}

/** JSON bodies parsed by fastify's own parser, their text kept on `request.rawBody`. */
export function keepRawBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    parseJson(request, body as string, done);
  });
}

/** What a fastify request is to identity.ts: its headers, method, path and raw body. */
export function receivedRequest(request: FastifyRequest): ReceivedRequest {
  return { headers: request.headers, method: request.method, path: request.url, body: request.rawBody };
}

export function createIdentityGuard({ secret, audience, windowMs, replay }: IdentityGuardOptions): IdentityGuard {
  return {
    async check(request, { writes }) {
      const verdict = verifyIdentity(receivedRequest(request), { secret, audience, windowMs });
      if (!verdict.ok || !writes) return verdict;
      return (await replay.firstUse(verdict.nonce)) ? verdict : { ok: false, reason: 'replayed' };
    },
  };
}

/**
 * Whether a GraphQL request body may write: it holds a mutation (or a subscription). Most bodies do not
 * name either keyword and are not parsed; one that does not parse counts as writing.
 */
export function mayWrite(body: unknown): boolean {
  const query = (body as { query?: unknown } | undefined)?.query;
  if (typeof query !== 'string') return body !== undefined;
  if (!/\b(?:mutation|subscription)\b/.test(query)) return false;
  try {
    return parse(query, { noLocation: true }).definitions.some(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation !== 'query',
    );
  } catch {
    return true;
  }
}

/**
 * The preValidation hook of an `/internal` route: only a `system` identity, signed for this very request,
 * once (an internal call is treated as a write). Anything else is logged and refused with 401 and `refusal`.
 */
export function onlySystemCallers(identity: IdentityGuard, refusal = 'This route only answers the gateway') {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const verdict = await identity.check(request, { writes: true });
    if (!verdict.ok || verdict.principal.kind !== 'system') {
      request.log.warn({ reason: verdict.ok ? 'not system' : verdict.reason }, 'refused an internal call not signed by the gateway');
      return reply.code(401).send({ error: refusal });
    }
  };
}
