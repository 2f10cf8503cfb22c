/**
 * Jest runs TypeScript transpile-only (type checking is the `tsc --noEmit` step of
 * `npm test`) against real PostgreSQL databases: tests/global-setup.ts prepares one
 * template database per run and every test file clones it (tests/helpers/test-database.ts).
 *
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  transform: {
    // `isolatedModules` as a compiler option (the ts-jest option of that name is
    // deprecated): each file is transpiled alone, without type checking.
    '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }],
  },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/tests/global-setup.ts',
  globalTeardown: '<rootDir>/tests/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
