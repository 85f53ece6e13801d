/** Dalet ids are numbers; the doc's examples give them as numbers or strings ("131", 52). */

/** The id as a number, or undefined when it cannot be one (so it matches nothing). */
export function toId(value: unknown): number | undefined {
  const text = String(value ?? '').trim();
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** A filter's id list: undefined when not given (or empty), else the ids that can exist ([] matches nothing). */
export function toIds(values: readonly unknown[] | null | undefined): number[] | undefined {
  if (!values?.length) return undefined;
  return values.map(toId).filter((id): id is number => id !== undefined);
}

/** A filter's list of strings: undefined when not given or empty. */
export function given<T>(values: readonly T[] | null | undefined): T[] | undefined {
  return values?.length ? [...values] : undefined;
}
