/**
 * The input-only scalar of a household head's national ID number. Its parser never
 * throws: graphql-js quotes the offending value in coercion errors, and the number must
 * never be echoed, so anything that is not a string arrives as the empty string and is
 * rejected by the service with a reason and no value. It never serialises.
 */
import { GraphQLScalarType, Kind } from 'graphql';

export const NationalIdNumberScalar = new GraphQLScalarType<string, never>({
  name: 'NationalIdNumber',
  description:
    'An 18-character resident identity number (GB 11643), input only: validated, matched through a keyed hash, never stored, logged or echoed — not even in error messages.',
  serialize() {
    throw new TypeError('NationalIdNumber is input only');
  },
  parseValue: (value) => (typeof value === 'string' ? value : ''),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : ''),
});
