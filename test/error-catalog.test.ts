import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COGNITIVE_CLOUD_ERRORS, DALET_ERRORS } from '../core/errors.ts';

const readme = readFileSync('README.md', 'utf8');

function tableRows(firstHeader: string): string[][] {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${firstHeader} |`));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^`|`$/g, '')),
    );
  }
  return rows;
}

describe("the README's error tables", () => {
  it('list every Cognitive Cloud code of the catalog, with its HTTP status and meaning', () => {
    const expected = Object.entries(COGNITIVE_CLOUD_ERRORS).map(([code, { httpStatus, description }]) => [
      code,
      String(httpStatus),
      description,
    ]);
    expect(tableRows('code')).toEqual(expected);
  });

  it('list every Dalet error code of the catalog, with its classification and meaning', () => {
    const expected = Object.entries(DALET_ERRORS).map(([code, { classification, description }]) => [code, classification, description]);
    expect(tableRows('Dalet `errorCode`')).toEqual(expected);
  });
});
