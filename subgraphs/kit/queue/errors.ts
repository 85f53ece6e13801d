/**
 * How a handler says a failure is worth retrying. Anything else it throws is permanent: the job ends
 * FAILED at once with that error's message.
 */
export class TransientError extends Error {
  override name = 'TransientError';
}

export function isTransient(error: unknown): boolean {
  return error instanceof TransientError;
}
