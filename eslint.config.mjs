// Lint for the whole tree: layering, promises, exhaustive switches, type-only imports, and size.
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';
import globals from 'globals';

const CAPABILITIES = path.resolve('apps/api/src/capabilities');

/**
 * A capability reaches another only through that capability's public file (`index.ts`) or its Nest
 * modules (`*.module.ts`, which Nest imports by class), so that what it owns (repositories,
 * projectors, tables) stays behind its module.
 */
const capabilityBoundaries = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = context.filename;
    if (!file.startsWith(CAPABILITIES + path.sep)) return {};
    const own = file.slice(CAPABILITIES.length + 1).split(path.sep)[0];
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(CAPABILITIES + path.sep)) return;
      const [other, ...rest] = target.slice(CAPABILITIES.length + 1).split(path.sep);
      const publicFile = rest.length === 1 && (rest[0] === 'index' || rest[0].endsWith('.module'));
      if (other === own || rest.length === 0 || publicFile) return;
      context.report({
        node: node.source,
        message: `the ${own} capability may reach ${other} only through '${other}/index' (its public exports)`,
      });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

const FRAMEWORKS = [
  '@nestjs/*',
  'typeorm',
  'better-sqlite3',
  'express',
  'vue',
  'pinia',
  'handsontable',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'coverage/**',
      '.tmp/**',
      'test/artifacts/**',
      'bench/results/**',
      'apps/api/src/openapi.metadata.ts',
      'apps/web/vite.config.*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/essential'],
  {
    files: ['**/*.ts', '**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: {
        parser: tseslint.parser,
        project: ['./tsconfig.eslint.json', './apps/web/tsconfig.eslint.json'],
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
        emitDecoratorMetadata: true,
        experimentalDecorators: true,
      },
      globals: { ...globals.node },
    },
    plugins: { crm: { rules: { 'capability-boundaries': capabilityBoundaries } } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: false, skipComments: false }],
      'crm/capability-boundaries': 'error',
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**', '@crm/api', '@crm/web'],
              message: 'libs never import the apps',
            },
            { group: FRAMEWORKS, message: 'libs stay free of frameworks and drivers' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/**/*.ts', 'apps/web/**/*.vue'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/api/**', '@crm/api', '@crm/api/*'],
              message: 'the web app talks to the API over HTTP only',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**'],
    rules: { 'max-lines-per-function': 'off', 'max-lines': ['error', { max: 800 }] },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['bench/browser-grid.bench.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
);
