/**
 * Four projects: unit tests once, every integration suite twice, on SQLite and on
 * PostgreSQL (a fresh database per suite), and the browser suites once, on SQLite. jose
 * ships ESM only, so it is transformed too.
 */
const base = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    {
      ...base,
      displayName: 'sqlite',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      setupFiles: [...base.setupFiles, '<rootDir>/tests/helpers/use-sqlite.ts'],
    },
    {
      ...base,
      displayName: 'postgres',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      setupFiles: [...base.setupFiles, '<rootDir>/tests/helpers/use-postgres.ts'],
      globalSetup: '<rootDir>/tests/helpers/postgres-global-setup.ts',
    },
    {
      // GraphiQL and the dashboard in headless Chromium, against a gateway on loopback.
      ...base,
      displayName: 'browser',
      testMatch: ['<rootDir>/tests/browser/**/*.test.ts'],
      setupFiles: [...base.setupFiles, '<rootDir>/tests/helpers/use-sqlite.ts'],
      globalSetup: '<rootDir>/tests/browser/web-global-setup.ts',
    },
  ],
};
