/**
 * Dalet mutations that fail answer their output with what was done (`{ category: null }`, `{ assets: [] }`)
 * and the error beside it, with the mutation's own path, as the Errors section shows. GraphQL has no way for
 * a resolver to return a value and an error, so resolvers record the error here and a plugin adds it to the
 * response. Errors are kept per request context, never beyond it.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { inSeedShape } from '../../../core/errors.ts';

export class PartialErrors {
  readonly #byRequest = new WeakMap<object, GraphQLError[]>();

  /** Records `error` as raised by the field `info` resolves; the field itself answers its partial value. */
  add(context: object, info: GraphQLResolveInfo, error: GraphQLError): void {
    const located = new GraphQLError(error.message, {
      nodes: info.fieldNodes,
      path: responsePathAsArray(info.path),
      extensions: error.extensions,
    });
    const errors = this.#byRequest.get(context) ?? [];
    errors.push(located);
    this.#byRequest.set(context, errors);
  }

  plugin(): ApolloServerPlugin<object> {
    const byRequest = this.#byRequest;
    return {
      async requestDidStart() {
        return {
          async willSendResponse({ response, contextValue }) {
            const recorded = byRequest.get(contextValue);
            if (!recorded?.length || response.body.kind !== 'single') return;
            const result = response.body.singleResult;
            result.errors = [...(result.errors ?? []), ...recorded.map((error) => inSeedShape(error.toJSON()))];
          },
        };
      },
    };
  }
}

/**
 * Runs a mutation: its output, or, when it fails with a Dalet error, `fallback` (the doc's partial data)
 * with the error recorded. AuthenticationError stays a plain failure: the doc answers it with `null`.
 */
export async function answerPartially<T>(
  errors: PartialErrors,
  context: object,
  info: GraphQLResolveInfo,
  fallback: T,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const errorCode = error instanceof GraphQLError ? error.extensions.errorCode : undefined;
    if (typeof errorCode !== 'string' || errorCode === 'AuthenticationError') throw error;
    errors.add(context, info, error as GraphQLError);
    return fallback;
  }
}
