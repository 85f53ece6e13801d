/** Dalet ids are numbers; the doc's examples give them as numbers or strings ("131", 52). */
import { invalidInput } from './errors.ts';

/** The most values one filter list may hold: more is a mistake, or an attempt to make queries huge. */
export const MAX_FILTER_VALUES = 1000;

function capped<T>(values: readonly T[], name: string): readonly T[] {
  if (values.length > MAX_FILTER_VALUES)
    throw invalidInput(name, `${values.length} values`, 'TOO_LONG', `At most ${MAX_FILTER_VALUES} values`);
  return values;
}

/** The id as a number, or undefined when it cannot be one (so it matches nothing). */
export function toId(value: unknown): number | undefined {
  const text = String(value ?? '').trim();
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** A filter's id list: undefined when not given (or empty), else the ids that can exist ([] matches nothing). */
export function toIds(values: readonly unknown[] | null | undefined, name: string): number[] | undefined {
  if (!values?.length) return undefined;
  return capped(values, name)
    .map(toId)
    .filter((id): id is number => id !== undefined);
}

/** A filter's list of values: undefined when not given or empty; nulls in it (GraphQL lists allow them) dropped. */
export function given<T>(values: readonly (T | null)[] | null | undefined, name: string): T[] | undefined {
  return values?.length ? capped(values, name).filter((value): value is T => value !== null) : undefined;
}
