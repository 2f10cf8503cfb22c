/**
 * Imported first by `bench/run.ts`: the hub runs as in production, where NODE_ENV is
 * `production` in the process environment. Libraries read it once, when first loaded
 * (graphql-js then skips its development-only `instanceof` checks on every value).
 */
process.env.NODE_ENV ??= 'production';

export {};
