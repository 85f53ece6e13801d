/** The admission in front of undici's pool (gateway/execution/connection-admission.ts): turns in arrival order, per origin. */
import { describe, expect, it } from 'vitest';
import { createConnectionAdmission } from '../gateway/execution/connection-admission.ts';

const never = new AbortController().signal;

describe('connection admission', () => {
  it('admits at once while connections are free, then in arrival order as they are released', async () => {
    const origin = createConnectionAdmission(2).of('http://127.0.0.1:4001/graphql');
    expect(origin.acquire(never)).toBeUndefined();
    expect(origin.acquire(never)).toBeUndefined();
    const admitted: string[] = [];
    const turns = ['first', 'second', 'third'].map((name) => origin.acquire(never)!.then(() => admitted.push(name)));
    origin.release();
    await turns[0];
    expect(admitted).toEqual(['first']);
    origin.release();
    origin.release();
    await Promise.all(turns);
    expect(admitted).toEqual(['first', 'second', 'third']);
  });

  it('shares one limit between the URLs of one origin, not between origins', () => {
    const admission = createConnectionAdmission(1);
    expect(admission.of('http://127.0.0.1:4001/graphql').acquire(never)).toBeUndefined();
    expect(admission.of('http://127.0.0.1:4001/internal/principal')).toBe(admission.of('http://127.0.0.1:4001/graphql'));
    expect(admission.of('http://127.0.0.1:4002/graphql').acquire(never)).toBeUndefined();
  });

  it('drops a call whose wait is aborted, with the reason, and gives its turn to the next', async () => {
    const origin = createConnectionAdmission(1).of('http://127.0.0.1:4001/graphql');
    expect(origin.acquire(never)).toBeUndefined();
    const timeout = new AbortController();
    const aborted = origin.acquire(timeout.signal)!;
    const next = origin.acquire(never)!;
    timeout.abort(new DOMException('The subgraph did not answer within 500 ms', 'TimeoutError'));
    await expect(aborted).rejects.toThrow('did not answer within 500 ms');
    origin.release();
    await next;
    // The aborted call took no connection: once `next` releases, one is free at once.
    origin.release();
    expect(origin.acquire(never)).toBeUndefined();
    expect(origin.acquire(never)).not.toBeUndefined();
  });
});
