import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphDefinition } from '../subgraphs/kit/build-subgraph.ts';
import { badUserInput, daletError } from '../core/errors.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'error-shapes-'));
afterAll(() => rmSync(schemaDir, { recursive: true, force: true }));

function subgraph(
  name: string,
  errorStyle: 'dalet' | 'cognitive-cloud',
  resolvers: Record<string, () => unknown>,
): SubgraphDefinition<unknown> {
  const file = join(schemaDir, `${name}.graphql`);
  writeFileSync(
    file,
    `type Query { ${Object.keys(resolvers)
      .map((field) => `${field}: String`)
      .join(' ')} }`,
  );
  return { name, schemaUrl: pathToFileURL(file), errorStyle, migrations: {}, create: async () => ({ resolvers: { Query: resolvers } }) };
}

const dalet = subgraph('dalet', 'dalet', {
  createAudioAssets: () => {
    throw daletError(
      'InvalidInput',
      'Input name [name] with value [] is invalid with [Missing Value] reason. Error details: Must not be empty',
      {
        reason: 'MISSING_VALUE',
        name: 'name',
        value: '',
      },
    );
  },
  daletBug: () => {
    throw new Error('disk /var/lib/dalet is full');
  },
});
const cognitiveCloud = subgraph('cloud', 'cognitive-cloud', {
  create_project: () => {
    throw badUserInput('name', 'must not be empty');
  },
  cloudBug: () => {
    throw new Error('connection string postgres://admin:hunter2@db');
  },
});

describe('errors reach clients in the shape of their seed', () => {
  let platform: Platform;
  beforeAll(async () => (platform = await startPlatform({ subgraphs: [dalet, cognitiveCloud] })));
  afterAll(() => platform?.stop());

  it('Dalet errors: errorCode, classification and the resource fields, as documented, plus the subgraph', async () => {
    const { body } = await platform.query('{ createAudioAssets }');
    expect(body.errors).toEqual([
      {
        message: 'Input name [name] with value [] is invalid with [Missing Value] reason. Error details: Must not be empty',
        path: ['createAudioAssets'],
        extensions: {
          reason: 'MISSING_VALUE',
          name: 'name',
          value: '',
          errorCode: 'InvalidInput',
          classification: 'ValidationError',
          serviceName: 'dalet',
        },
      },
    ]);
  });

  it('Cognitive Cloud errors: extensions.code, naming the argument', async () => {
    const { body } = await platform.query('{ create_project }');
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'name', serviceName: 'cloud' });
  });

  it('unexpected errors are masked in each shape', async () => {
    const daletBug = await platform.query('{ daletBug }');
    expect(daletBug.body.errors?.[0]).toMatchObject({
      message: 'Unexpected error',
      extensions: { errorCode: 'UnexpectedError', classification: 'ExecutionAborted' },
    });
    const cloudBug = await platform.query('{ cloudBug }');
    expect(cloudBug.body.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify([daletBug.body, cloudBug.body])).not.toMatch(/hunter2|\/var\/lib/);
  });
});

describe('CSRF prevention', () => {
  it('refuses a GET query without a preflight header, and answers one with it', async () => {
    const platform = await startPlatform({ subgraphs: [cognitiveCloud] });
    try {
      const url = `${platform.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`;
      expect((await fetch(url)).status).toBe(400);
      const allowed = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
      expect(await allowed.json()).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await platform.stop();
    }
  });
});
