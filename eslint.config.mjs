// Floating promises are banned everywhere. Everything under workflows/ runs
// in Temporal's workflow sandbox and must stay deterministic and replayable:
// no Node built-ins, no module that does I/O, nothing from outside the folder
// but types (test/unit/sandbox.test.ts checks the folder rule in full).
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnlyModules = JSON.parse(readFileSync(new URL('./src/temporal/node-only-modules.json', import.meta.url), 'utf8'));

export default tseslint.config(
  { ignores: ['node_modules/**', 'src/generated/**', 'dist/**', '.data/**', 'bin/**', 'scripts/*.js', 'eslint.config.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/test return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'test', 'it', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'workflow code must be deterministic: no Node built-ins' })),
            ...nodeOnlyModules.map((name) => ({ name, message: 'no I/O in workflow code' })),
          ],
          patterns: [
            { group: ['**/activities', '**/activities/*'], allowTypeImports: true, message: 'workflows import activities with `import type` only' },
            { group: ['**/src/**', '**/test/**', '**/bench/**'], allowTypeImports: false, message: 'workflow code imports only from workflows/ and @temporalio/workflow' },
          ],
        },
      ],
    },
  },
);
