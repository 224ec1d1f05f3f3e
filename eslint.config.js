// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'uploads/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    // The client and the shared contract run in browsers: they must never pull in server-only code.
    files: ['client/**/*.{ts,tsx}', 'server/src/contract/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'pg', 'express', 'multer', 'sharp', 'pino*', 'helmet'],
              message: 'server-only module',
            },
            {
              group: ['**/server/src/*', '!**/server/src/contract', '!**/server/src/contract/**'],
              message: 'only the contract is shared with the client',
            },
            { group: ['../*', '../../*'], message: 'the contract must stay self-contained' },
          ],
        },
      ],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'pg', 'express', 'multer', 'sharp', 'pino*', 'helmet'],
              message: 'server-only module',
            },
            {
              regex: 'server/src/(?!contract/)',
              message: 'the client may import only server/src/contract',
            },
          ],
        },
      ],
    },
  },
);
