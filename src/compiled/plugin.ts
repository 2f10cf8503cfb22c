/**
 * The Apollo Server plugin of the compiled read path (`compiler.ts`). It answers in
 * `responseForOperation`, after every limit, the cost analysis and the daily budget have
 * run in `didResolveOperation`, and before execution; the audit plugin's
 * `willSendResponse` then writes the PII reads it noted, as for any response.
 *
 * It answers only what it can answer in full; otherwise it returns null and Apollo
 * executes the operation with the resolvers, exactly as without it.
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import { selectRows } from '../loaders/loader-kit';
import type { Context } from '../schema/context';
import { coerceVariables, compileOperation, finishData, operationSql } from './compiler';

export function compiledReadPlugin(options: { orm: MikroORM }): ApolloServerPlugin<Context> {
  // The statement needs a connection, not an identity map: the root EntityManager's
  // connection spares the request its fork (the resolver path forks when it runs).
  const em = options.orm.em;
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ schema, document, operation, request, contextValue, logger }) {
          if (operation === undefined) return null;
          let statement;
          let compiled;
          try {
            compiled = compileOperation(schema, document, operation);
            if (compiled === null) return null;
            const variables = coerceVariables(schema, compiled, request.variables);
            if (variables === null) return null;
            statement = operationSql(compiled, contextValue, variables);
            if (statement === null) return null;
          } catch (error) {
            // A bug here must not cost the request: the resolvers answer it.
            logger.error(`compiled read of request ${contextValue.requestId} could not be built: ${String(error)}`);
            return null;
          }
          let rows: Array<{ data: Record<string, unknown> }>;
          try {
            rows = await selectRows<{ data: Record<string, unknown> }>({ em, principal: contextValue.principal }, statement);
          } catch (error) {
            // The resolver path runs instead and reports what it meets.
            logger.warn(`compiled read of request ${contextValue.requestId} failed, answered by the resolvers: ${String(error)}`);
            return null;
          }
          let data: Record<string, unknown> | null;
          try {
            data = finishData(compiled, rows[0].data, contextValue);
          } catch {
            // E.g. a PII value that does not decrypt: the resolvers report it as a field
            // error with its path. Nothing was noted before this path ran.
            data = null;
          }
          if (data === null) {
            contextValue.piiReads.clear();
            return null;
          }
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
        },
      };
    },
  };
}
