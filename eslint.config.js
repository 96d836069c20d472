// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'coverage/**', 'collector-server/ui-dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only agent/src/main may import electron, and tests never do (it downloads the binary).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['agent/src/main/**/*.ts'],
    ignores: ['agent/src/main/**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
