import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

// The layers of ARCHITECTURE.md (and ../shared/architecture.md), enforced: the engine never reaches Electron or the UI, and the
// renderer reaches nothing but the contract's plain data modules.
const engineMayNotImport = [
  { group: ['electron', 'electron/*'], message: 'main/core is plain Node: no Electron.' },
  {
    group: ['**/app/**', '**/cli/**', '**/bridge/**', '**/renderer/**', '**/preload/**'],
    message: 'main/core may not import the shells around it.',
  },
];
const rendererMayNotImport = [
  { group: ['node:*'], message: 'The renderer has no Node.' },
  {
    group: ['electron', 'electron/*'],
    message: 'The renderer reaches Electron only through the contract.',
  },
  {
    regex: '(^|/)main/(?!core/contract/[^/]+$)',
    message: 'The renderer may import only main/core/contract.',
  },
  { group: ['**/preload/**'], message: 'The renderer sees the preload only as window.recvault.' },
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bench/.work/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Sanitisers of provider file names and headers match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        extraFileExtensions: ['.svelte'],
        parser: tseslint.parser,
        svelteConfig,
      },
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: engineMayNotImport }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { patterns: rendererMayNotImport }] },
  },
);
