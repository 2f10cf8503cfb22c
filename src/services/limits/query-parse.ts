import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { limitError, TOKEN_LIMIT_MESSAGE, tokenLimitMessage } from './limit.errors';

/**
 * Parses a GraphQL document, giving up after `maxTokens` lexical tokens.
 *
 * The token limit trips inside the lexer, before any validation runs: validation of
 * overlapping fields costs up to the square of a document's fields, so a size limit
 * checked afterwards would come too late. A document of exactly `maxTokens` tokens
 * passes.
 *
 * @throws GraphQLError `QUERY_TOO_COMPLEX` past the token limit, `BAD_USER_INPUT` on a
 *   syntax error (with the parser's message and location).
 */
export function parseWithLimits(source: string, maxTokens: number): DocumentNode {
  try {
    return parse(source, { maxTokens, noLocation: false });
  } catch (error) {
    if (!(error instanceof GraphQLError)) {
      throw error;
    }
    if (TOKEN_LIMIT_MESSAGE.test(error.message)) {
      throw limitError('QUERY_TOO_COMPLEX', tokenLimitMessage(maxTokens), { limit: 'maxTokens', max: maxTokens });
    }
    throw new GraphQLError(error.message, {
      source: error.source,
      positions: error.positions,
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
}
