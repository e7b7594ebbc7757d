import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      'tests/__generated__/',
      'src/web/__generated__/',
      'data/',
      '.test-build/',
      'artifacts/',
      'tests/bench/node_modules/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
      'no-warning-comments': ['error', { terms: ['fixme'], location: 'anywhere' }],
    },
  },
  {
    // Tool configuration files and jest's global setup must default-export.
    files: [
      '*.config.{js,mjs}',
      'tests/helpers/*-global-setup.ts',
      'tests/browser/*-global-setup.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['*.config.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly' },
    },
  },
  {
    // Decorator metadata needs real (value) imports of the classes it names.
    files: ['entities/**/*.ts', 'resolvers/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['resolvers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['typeorm', 'redis', '**/src/db/**', '**/src/repositories/**'],
              message: 'Resolvers go through services and loaders.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['entities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**', '**/resolvers/**'],
              message: 'Entities import only typeorm, type-graphql and other entities.',
            },
          ],
        },
      ],
    },
  },
);
