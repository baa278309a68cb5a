import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The core runs in the CLI, the server and tests; it must stay free of the editor and LSP.
const editorModules = ['vscode', 'vscode-languageserver*', 'vscode-languageclient*', 'vscode-languageserver-textdocument'];

export default defineConfig(
  {
    ignores: [
      'dist/',
      'node_modules/',
      '.tools/',
      '.pipelines/',
      'coverage/',
      'test/golden/',
      'test/fixtures/',
      'examples/.out/',
      // Only reached through core/tsconfig.json's paths, by a forbidden import.
      'core/editor-modules-forbidden.ts',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // Each file is checked with its nearest tsconfig.json (core/, webview/ or the root one).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test tracks the promises its test()/describe() return; awaiting them is not required.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      // Build and config scripts run on Node; listed by hand to avoid a dependency on `globals`.
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // The extension-host test suite runs as CommonJS inside VS Code's Node.
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        fetch: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
  {
    files: ['core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...editorModules, ...editorModules.map((m) => `${m}/**`)],
              message: 'core/ must not depend on VS Code or LSP packages; put editor code in client/ or server/.',
            },
          ],
        },
      ],
    },
  },
);
