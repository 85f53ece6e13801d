/**
 * The gateway against an outside conformance suite: graphql-http's audits of the GraphQL over HTTP
 * specification, over real HTTP. Every MUST passes. What is left are SHOULDs and MAYs where the gateway
 * answers as Apollo Server does on purpose (gateway/README.md, "Requests"): HTTP 400 for a document that
 * does not parse or validate, and GET only with a CSRF preflight header.
 */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './helpers/platform.ts';

describe('GraphQL over HTTP', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({ subgraphs: ['accounts'] });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it("passes every MUST of graphql-http's audits, and only the known SHOULDs and MAYs are missed", async () => {
    const missed: string[] = [];
    for (const audit of serverAudits({ url: platform.gatewayUrl, fetchFn: fetch })) {
      const result = await audit.fn();
      if (result.status !== 'ok') missed.push(`${result.status}: ${audit.name}`);
    }
    expect(missed.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(missed.sort()).toEqual([
      'notice: MAY accept application/x-www-form-urlencoded formatted GET requests',
      'notice: MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
      'notice: MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
      'warn: SHOULD use 200 status code on document parsing failure when accepting application/json',
      'warn: SHOULD use 200 status code on document validation failure when accepting application/json',
      'warn: SHOULD use a status code of 200 on variable coercion failure when accepting application/json',
    ]);
  });
});
