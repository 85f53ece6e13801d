import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateAll, ROOT_DIR } from '../subgraphs/kit/codegen/generate.ts';

describe('generated resolver types', () => {
  // Generating imports every subgraph and runs the code generator over each: once for both tests.
  let generating: ReturnType<typeof generateAll> | undefined;
  const generated = () => (generating ??= generateAll());

  it('are what `npm run codegen` makes from the SDL today (run it and commit generated/ if this fails)', async () => {
    const files = await generated();
    expect(files.map((file) => file.path)).toEqual(
      expect.arrayContaining(['subgraphs/accounts/generated/resolvers-types.ts', 'subgraphs/billing/generated/resolvers-types.ts']),
    );
    for (const file of files) {
      const path = join(ROOT_DIR, file.path);
      expect(existsSync(path), `${file.path} is missing`).toBe(true);
      expect(readFileSync(path, 'utf8'), `${file.path} is stale`).toBe(file.content);
    }
  });

  it('type each field argument from the SDL', async () => {
    const accounts = (await generated()).find((file) => file.path === 'subgraphs/accounts/generated/resolvers-types.ts');
    expect(accounts?.content).toContain(
      "export type MutationAdd_Project_MemberArgs = {\n  role: Role;\n  email: Scalars['String']['input'];\n  project_id: Scalars['String']['input'];\n};",
    );
  });
});
