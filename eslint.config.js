// Flat config: type-aware typescript-eslint over the workspace sources, the cross-package tests
// and the scripts/benchmarks. `no-floating-promises` matters most here: an un-awaited write
// is exactly how an acknowledged event gets lost.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node globals for the plain-JS scripts (bench/, scripts/), which get no type information. */
const nodeGlobals = Object.fromEntries(
  [
    'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'fetch', 'Headers', 'Request', 'Response',
    'AbortController', 'AbortSignal', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
    'setImmediate', 'clearImmediate', 'queueMicrotask', 'performance', 'structuredClone', 'TextEncoder', 'TextDecoder',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/data/**', 'bench/tmp/**', '.tmp/**'] },
  {
    files: ['packages/*/src/**/*.{ts,tsx}', 'test/**/*.ts', 'bench/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: {
          // Package `*.test.ts` files and `src/testing/` fixtures are excluded from the package
          // tsconfigs (they are not built); they get test/tsconfig.json's options instead. The
          // globs may not use `**`.
          allowDefaultProject: ['packages/*/src/*.test.ts', 'packages/*/src/*/*.test.ts', 'packages/*/src/*/*/*.test.ts', 'packages/*/src/testing/*.ts'],
          defaultProject: 'test/tsconfig.json',
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 500,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],

      // Tuned for this codebase. Driver rows and JSON bodies are untyped by nature and are
      // checked by zod or mapped field by field at the edge; the no-unsafe-* family only adds
      // noise there (and fires on every use of a module while it is being written).
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // The SQLite driver is synchronous but implements the async `Db` contract.
      '@typescript-eslint/require-await': 'off',
      // `createX()` factories return plain objects whose interfaces use method syntax;
      // destructuring `{ close }` from them is idiomatic here, not a lost `this`.
      '@typescript-eslint/unbound-method': 'off',
      // `String(value)` on a driver value (narrowed to `{}`) is the intended conversion.
      '@typescript-eslint/no-base-to-string': 'off',
      // Style, not correctness: reported, but not a CI failure.
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unnecessary-type-assertion': 'warn',
      'prefer-const': 'warn',
    },
  },
  {
    files: ['bench/**/*.{js,mjs}', 'scripts/**/*.{js,mjs}', 'test/**/*.mjs', 'eslint.config.js'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: nodeGlobals },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
