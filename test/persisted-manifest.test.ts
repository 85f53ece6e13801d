import { describe, expect, it } from 'vitest';
import { documentHash, parseManifest } from '../gateway/pipeline/persisted-manifest.ts';

describe('the persisted-documents manifest', () => {
  it("reads Apollo's persisted-query manifest", () => {
    const body = 'query Hello { hello }';
    const manifest = parseManifest(
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: documentHash(body), name: 'Hello', type: 'query', body }],
      }),
    );
    expect(manifest.documentOf(documentHash(body))).toBe(body);
    expect(manifest.documentOf(`sha256:${documentHash(body)}`)).toBe(body);
    expect(manifest.hasDocument(body)).toBe(true);
    expect(manifest.hasDocument('{ hello }')).toBe(false);
  });

  it("reads a map of id to document (Relay's, Hive's and GraphQL Codegen's)", () => {
    const manifest = parseManifest(JSON.stringify({ a1b2: '{ hello }', c3d4: '{ goodbye }' }));
    expect(manifest.size).toBe(2);
    expect(manifest.documentOf('c3d4')).toBe('{ goodbye }');
    expect(manifest.documentOf('nope')).toBeUndefined();
  });

  it('refuses what is neither, saying why', () => {
    expect(() => parseManifest('[]')).toThrow('a manifest is a JSON object');
    expect(() => parseManifest('{"format": "apollo-persisted-query-manifest", "version": 2, "operations": []}')).toThrow(
      'unknown manifest format',
    );
    expect(() => parseManifest('{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id": "x"}]}')).toThrow(
      'operations[0] needs a string "id" and "body"',
    );
    expect(() => parseManifest('{"a": 1}')).toThrow("expected Apollo's persisted-query manifest or a map of id to document");
  });
});
