/**
 * With INTROSPECTION off, `__schema` and `__type` are refused by this rule in place of Apollo Server's own,
 * whose message tells the client to "pass introspection: true to ApolloServer": advice for whoever runs
 * the server, not for whoever calls it. `__typename` stays allowed: clients need it to read unions.
 */
import { GraphQLError, type ValidationRule } from 'graphql';

export const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value !== '__schema' && node.name.value !== '__type') return;
    context.reportError(
      new GraphQLError(
        `Introspection is not allowed on this endpoint, so ${node.name.value} cannot be queried; ask its operators for the schema`,
        {
          nodes: [node],
          extensions: { validationErrorCode: 'INTROSPECTION_DISABLED' },
        },
      ),
    );
  },
});
