/**
 * `graphql-ws/use/ws` is published through package `exports` only, which this project's
 * `moduleResolution: node` does not read; Node resolves it at run time. This points the
 * compiler at the same declarations.
 */
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
