// ESLint finds bugs, it does not judge style: only rules whose every hit is a defect or an
// unchecked input. Type-aware rules use the TypeScript project service, which gives each file
// the tsconfig that includes it (root, shared, console/renderer, console/desktop).
import tseslint from 'typescript-eslint';

/** Tests and their helpers read responses they just wrote as `any` on purpose. */
const TEST_FILES = ['**/*.test.{ts,tsx}', 'test/**', '**/test-support/**', '**/testing/**', 'agent/src/cashier-page/http-test-client.ts'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'release/**',
      'bench/results/**',
      'test-results/**',
      'playwright-report/**',
      '.tillscope-demo/**',
      '.data/**',
    ],
  },
  {
    files: ['**/*.{ts,tsx,js}'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // An unhandled rejection ends the console, or leaves the agent's work half done.
      '@typescript-eslint/no-floating-promises': [
        'error',
        // preact's act() returns a promise, but with a synchronous callback it has already run.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'preact', name: 'act' }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `any` skips the zod parse every input (wire, REST, IPC, SQLite row) must go through.
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      // Cheap correctness rules. Unused names are tsc's job (noUnusedLocals/Parameters).
      eqeqeq: ['error', 'smart'],
      'no-fallthrough': 'error',
      'no-constant-condition': ['error', { checkLoops: 'allExceptWhileTrue' }],
      'no-cond-assign': 'error',
      'no-self-compare': 'error',
      'no-self-assign': 'error',
      'no-dupe-else-if': 'error',
      'no-duplicate-case': 'error',
      'no-unsafe-finally': 'error',
      'no-unsafe-negation': 'error',
      'no-unreachable': 'error',
      'use-isnan': 'error',
      'valid-typeof': 'error',
      'no-async-promise-executor': 'error',
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
