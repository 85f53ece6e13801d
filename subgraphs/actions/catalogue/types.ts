/** What an action is: its catalogue entry and the function that runs it. */

/** What an action's `run` may use; the worker gives it. */
export interface ActionTools {
  /** The bytes of a file input: a `data:` URL, or an http(s) URL fetched through the outbound guard. */
  readFile(input: string): Promise<Buffer>;
  /** Stores a file the action made (kept 24 h) and returns its signed, expiring URL. */
  saveArtifact(bytes: Buffer, contentType: string): Promise<string>;
  /** Aborted when the job's lease is lost or it timed out. */
  signal: AbortSignal;
}

export interface ActionDefinition<Payload = any> {
  /** Stable, kebab-case: clients and tests name actions by it. */
  id: string;
  name: string;
  description: string;
  /** An id of CATEGORIES. */
  category: string;
  /** The library (and model) that runs it. */
  model: string;
  /** A word a prompt may use to ask for it. */
  trigger_word: string;
  /** What one unit of billing is, e.g. "image". */
  cost_unit: string;
  /** Price of one unit in US cents (whole cents: charges are in minor units). */
  unit_price_minor: number;
  /** The JSON Schema of its payload (draft 2020-12 subset Ajv checks); `additionalProperties: false`. */
  json_schema: Record<string, unknown>;
  /** Shown in the FEATURED collection. */
  featured?: boolean;
  deprecated?: boolean;
  /** When it joined the catalogue (ISO date): NEW for 30 days. */
  added_at: string;
  /** Units billed for a completed job; default 1. */
  quantity?(payload: Payload, result: any): number;
  run(payload: Payload, tools: ActionTools): Promise<unknown>;
}

/** A payload property holding a file: an http(s) URL or a data: URL. */
export const FILE_INPUT = {
  type: 'string',
  pattern: '^(https?://|data:)',
  maxLength: 20_000_000,
  description: 'An http(s) URL, fetched through the outbound guard, or a data: URL',
} as const;

export const TEXT_INPUT = { type: 'string', minLength: 1, maxLength: 100_000 } as const;
