/**
 * The one formatError: what of an error may reach a client. Errors are built the way
 * graphql-js and Apollo Server hand them over (located resolver errors, validation errors
 * keeping a rule's error as `originalError`).
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { BadUserInputError, createFormatError, NotFoundError, RateLimitedError } from '../../src/schema/errors';

function harness() {
  const logged: Array<{ level: string; details: Record<string, unknown>; message: string }> = [];
  const formatError = createFormatError({
    error: (details, message) => logged.push({ level: 'error', details: details as Record<string, unknown>, message }),
    warn: (details, message) => logged.push({ level: 'warn', details: details as Record<string, unknown>, message }),
  });
  return { formatError, logged };
}

/** A resolver failure as graphql-js reports it: located at a path, wrapping the thrown value. */
function located(thrown: Error, path = ['household', 'headName']): GraphQLError {
  return new GraphQLError(thrown.message, { path, originalError: thrown });
}

function formattedOf(error: GraphQLError, code?: string): GraphQLFormattedError {
  const formatted = error.toJSON();
  return code === undefined ? formatted : { ...formatted, extensions: { ...formatted.extensions, code } };
}

test('typed errors pass with their message and code; the http status hint is removed', () => {
  const { formatError, logged } = harness();
  const error = located(new BadUserInputError('first must be between 1 and 100', 'first'), ['county', 'households']);
  expect(formatError(formattedOf(error), error)).toEqual({
    message: 'first must be between 1 and 100',
    path: ['county', 'households'],
    extensions: { code: 'BAD_USER_INPUT', field: 'first' },
  });
  const limited = located(new RateLimitedError('Too many requests', 30), ['node']);
  expect(formatError(formattedOf(limited), limited)).toEqual({
    message: 'Too many requests',
    path: ['node'],
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 30 },
  });
  expect(formatError(formattedOf(located(new NotFoundError())), located(new NotFoundError())).extensions).toEqual({ code: 'NOT_FOUND' });
  expect(logged).toEqual([]);
});

test('a GraphQLError built with a stable code is safe too, also when Apollo re-coded it as a validation error', () => {
  const { formatError } = harness();
  const limit = new GraphQLError('Query depth 15 exceeds the limit of 12', { extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxDepth', max: 12, actual: 15 } });
  const validation = new GraphQLError(limit.message, { originalError: limit, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  expect(formatError(formattedOf(validation), validation)).toEqual({
    message: 'Query depth 15 exceeds the limit of 12',
    extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxDepth', max: 12, actual: 15 },
  });
});

test('syntax and validation errors of graphql-js become BAD_USER_INPUT with their message', () => {
  const { formatError } = harness();
  const unknownField = new GraphQLError('Cannot query field "secret" on type "Area".');
  expect(formatError(formattedOf(unknownField, 'GRAPHQL_VALIDATION_FAILED'), unknownField)).toEqual({
    message: 'Cannot query field "secret" on type "Area".',
    extensions: { code: 'BAD_USER_INPUT' },
  });
  const syntax = new GraphQLError('Syntax Error: Expected Name, found <EOF>.');
  expect(formatError(formattedOf(syntax, 'GRAPHQL_PARSE_FAILED'), syntax).extensions).toEqual({ code: 'BAD_USER_INPUT' });
});

test('anything else is INTERNAL: a fixed message with an error id, logged in full under that id', () => {
  const { formatError, logged } = harness();
  const leak = Object.assign(new Error('select "name_enc" from "household" where "id" = 42 - permission denied'), { code: '42501' });
  const error = located(leak);
  const formatted = formatError(formattedOf(error, 'INTERNAL_SERVER_ERROR'), error);
  const errorId = formatted.extensions?.errorId as string;
  expect(formatted).toEqual({
    message: `Internal error; quote error id ${errorId} when reporting it`,
    path: ['household', 'headName'],
    extensions: { code: 'INTERNAL', errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
  });
  expect(JSON.stringify(formatted)).not.toMatch(/select|name_enc|42501|permission|stack/);
  expect(logged).toEqual([{ level: 'error', details: expect.objectContaining({ errorId, err: leak }), message: 'internal error' }]);
});

test('an internal error with an Apollo-style BAD_USER_INPUT code on a plain Error is still masked', () => {
  const { formatError } = harness();
  const plain = Object.assign(new Error('duplicate key value violates unique constraint "loan_institution_id_ref_unique"'), { extensions: { code: 'BAD_USER_INPUT' } });
  const error = located(plain);
  expect(formatError(formattedOf(error, 'BAD_USER_INPUT'), error).extensions?.code).toBe('INTERNAL');
});

test('a lost database is DATABASE_UNAVAILABLE, wherever the driver error sits in the chain', () => {
  const { formatError, logged } = harness();
  const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
  const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
  const wrapped = Object.assign(new Error('driver exception'), { previous: shutdown });
  for (const cause of [refused, wrapped]) {
    const error = located(cause, ['area']);
    const formatted = formatError(formattedOf(error, 'INTERNAL_SERVER_ERROR'), error);
    expect(formatted).toEqual({
      message: 'The database is unavailable; try again later',
      path: ['area'],
      extensions: { code: 'DATABASE_UNAVAILABLE', errorId: expect.any(String) },
    });
    expect(JSON.stringify(formatted)).not.toContain('10.0.0.5');
  }
  expect(logged.map((entry) => entry.level)).toEqual(['warn', 'warn']);
});
