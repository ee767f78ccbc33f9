// ESLint (flat config) for the monitor page's JavaScript and its browser test. Bug-catching
// rules only: no formatting opinions. Run from the repository root (scripts/lint.sh does):
//
//   tests/browser/node_modules/.bin/eslint -c tests/browser/eslint.config.js \
//     host/admin/assets tests/browser
//
// With -c, ESLint 9 resolves the `files` patterns below against the working directory, hence
// the repository-relative paths.
import js from '@eslint/js';
import globals from 'globals';

// Cheap rules that catch real mistakes on top of the recommended set.
const bugRules = {
  eqeqeq: ['error', 'always'],
  'no-implicit-globals': 'error',
  'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'none' }],
  'no-shadow-restricted-names': 'error',
  'no-self-compare': 'error',
  'no-template-curly-in-string': 'error',
  'no-unmodified-loop-condition': 'error',
  'no-unreachable-loop': 'error',
  'no-use-before-define': ['error', { functions: false, classes: false }],
  'array-callback-return': 'error',
  'no-constructor-return': 'error',
};

export default [
  {
    ignores: ['**/node_modules/**', 'tests/browser/artifacts/**'],
  },
  {
    // The page: plain ES modules loaded by the browser (no build step).
    files: ['host/admin/assets/**/*.js'],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: globals.browser,
    },
    rules: { ...js.configs.recommended.rules, ...bugRules },
  },
  {
    // The browser test, its helpers and this file: ES modules run by node.
    files: ['tests/browser/**/*.mjs', 'tests/browser/eslint.config.js'],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: globals.node,
    },
    rules: { ...js.configs.recommended.rules, ...bugRules },
  },
  {
    // The callbacks given to page.evaluate / waitForFunction are serialised and run inside
    // the page, so they may use the page's globals; only the ones the test uses.
    files: ['tests/browser/monitor.spec.mjs'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly' } },
  },
];
