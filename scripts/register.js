// Runs TypeScript sources directly: transpile-only (type checking is `npm run typecheck`),
// with decorator metadata emitted, which type-graphql and MikroORM read.
require('ts-node').register({ transpileOnly: true, files: false, compilerOptions: { module: 'commonjs' } });
require('reflect-metadata');
