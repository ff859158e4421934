import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const CORE_THROUGH_INDEX = {
  regex: '(^(\\.\\./)+core$)|((^|/)core/(?!fixtures/|testing/))',
  message: "import core by its name, '@userns-builds/core', not by a path to it or its files",
};

export default tseslint.config(
  { ignores: ['node_modules/', '**/dist/', 'coverage/', 'test-results/', '.dev-state/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', '__mocks__/**/*.{ts,tsx}', 'dev/console/**/*.{ts,tsx}'],
    plugins: { react, 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    settings: { react: { version: '18.3' } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs['jsx-runtime'].rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'react/prop-types': 'off',
    },
  },
  {
    // Other parts use core through its index, so its files can move without touching them.
    files: ['**/*.{ts,tsx}'],
    ignores: ['core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [CORE_THROUGH_INDEX],
        },
      ],
    },
  },
  {
    // Every plugin string goes through the plugin's namespace, named in one hook.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/hooks/usePluginTranslation.ts', 'src/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [CORE_THROUGH_INDEX],
          paths: [
            {
              name: 'react-i18next',
              importNames: ['useTranslation'],
              message: 'use usePluginTranslation() from src/hooks',
            },
          ],
        },
      ],
      // Bare text in JSX is untranslated text; symbols that read the same in every language may stay.
      'react/jsx-no-literals': [
        'error',
        { noStrings: false, ignoreProps: true, allowedStrings: ['=', ':', '/', '—', '·'] },
      ],
    },
  },
  {
    // core is shared by the browser plugin and the Node backend: it must stay runtime-free.
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts', 'core/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-*', '@patternfly/*', '@openshift-console/*'],
              message: 'core must not depend on React or the console SDK',
            },
            {
              group: [
                'node:*',
                'fs',
                'path',
                'http',
                'https',
                'crypto',
                'os',
                'child_process',
                'stream',
                'url',
                'util',
                'buffer',
                'events',
              ],
              message: 'core must not use Node built-ins',
            },
            { group: ['@kubernetes/*'], message: 'core must not use a Kubernetes client' },
          ],
        },
      ],
    },
  },
  {
    files: [
      '**/*.test.{ts,tsx}',
      'dev/**/*.{ts,tsx}',
      'scripts/**/*.{ts,mjs}',
      '**/bench/**/*.ts',
      'e2e/**/*.ts',
    ],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
