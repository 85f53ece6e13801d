/**
 * Payloads are checked against their action's JSON Schema with Ajv before a job exists. The error names
 * the JSON path at fault (`$.files[0].name`), so a client can point at the field.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { cognitiveCloudError } from '../../core/errors.ts';
import type { ActionDefinition } from './catalogue/index.ts';

export type PayloadValidator = (action: ActionDefinition, payload: unknown) => void;

function jsonPath(error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : undefined;
  const extra = error.keyword === 'additionalProperties' ? (error.params as { additionalProperty: string }).additionalProperty : undefined;
  const all = [...segments, ...((missing ?? extra) ? [missing ?? extra!] : [])];
  return all.reduce(
    (path, segment) =>
      /^\d+$/.test(segment)
        ? `${path}[${segment}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)
          ? `${path}.${segment}`
          : `${path}[${JSON.stringify(segment)}]`,
    '$',
  );
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') return 'is not a property of this payload';
  if (error.keyword === 'required') return 'is required';
  return error.message ?? 'is invalid';
}

export function createPayloadValidator(actions: readonly ActionDefinition[]): PayloadValidator {
  // strictRequired is off: anyOf/oneOf branches name properties the parent schema defines.
  const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false });
  const validators = new Map<string, ValidateFunction>(actions.map((action) => [action.id, ajv.compile(action.json_schema)]));
  return (action, payload) => {
    const validate = validators.get(action.id)!;
    if (validate(payload ?? {})) return;
    const error = validate.errors![0]!;
    const path = jsonPath(error);
    throw cognitiveCloudError('BAD_USER_INPUT', `Invalid argument "payload": ${path} ${describe(error)}`, {
      argumentName: 'payload',
      jsonPath: path,
    });
  };
}
