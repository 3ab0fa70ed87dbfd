'use strict';
/**
 * Writes apps/api/src/openapi.metadata.ts: what @nestjs/swagger's compiler plugin reads from the
 * sources (each DTO's properties with their TypeScript types and class-validator rules, each
 * controller's parameters and answers), as data the server loads before it builds the OpenAPI
 * document. The build is plain `tsc -b`, which runs no plugin, so the plugin's read-only visitor
 * runs here instead, as the first step of `npm run build:server`; the DTOs stay the one place a
 * request's shape is written. The file is not committed: the build writes it again whenever a
 * fingerprint of what it is read from (the API's and the libraries' sources, this script, the lock
 * file) differs from the one it records, so the server never runs with a stale one. `--force`
 * writes it whatever the fingerprint.
 */
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..', '..');
const API = path.join(__dirname, '..');
const SRC = path.join(API, 'src');
const OUT = path.join(SRC, 'openapi.metadata.ts');
const INPUTS = [
  SRC,
  path.join(ROOT, 'libs', 'contracts', 'src'),
  path.join(ROOT, 'libs', 'domain', 'src'),
  path.join(ROOT, 'libs', 'events', 'src'),
  __dirname,
  path.join(ROOT, 'package-lock.json'),
  path.join(API, 'tsconfig.json'),
];

/** Every file under `entry` (or `entry` itself), sorted, the output and specs left out. */
function filesOf(entry) {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.endsWith('.spec.ts'))
    .map((d) => path.join(d.parentPath ?? d.path, d.name))
    .filter((file) => file !== OUT)
    .sort();
}

/** A digest of the names and contents of everything the metadata is read from. */
function fingerprint() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(filesOf))
    hash.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

const FINGERPRINT_LINE = (digest) => `// sources: ${digest}`;

function assign(ts, key, meta) {
  const f = ts.factory;
  if (Array.isArray(meta)) {
    return f.createPropertyAssignment(
      f.createStringLiteral(key),
      f.createArrayLiteralExpression(
        meta.map(([load, byName]) =>
          f.createArrayLiteralExpression([
            load,
            f.createObjectLiteralExpression(
              Object.keys(byName).map((k) => assign(ts, k, byName[k])),
            ),
          ]),
        ),
      ),
    );
  }
  return f.createPropertyAssignment(
    f.createStringLiteral(key),
    ts.isObjectLiteralExpression(meta)
      ? meta
      : f.createObjectLiteralExpression(Object.keys(meta).map((k) => assign(ts, k, meta[k]))),
  );
}

/** The metadata file's text, from the sources as they are now. */
function openApiMetadataSource(digest) {
  const ts = require('typescript');
  const { ReadonlyVisitor } = require('@nestjs/swagger/plugin');
  const { contractSchemas } = require('./contract-schemas');
  const f = ts.factory;
  const program = ReadonlyVisitor.createTsProgram(path.join(API, 'tsconfig.json'));
  const visitor = new ReadonlyVisitor({
    pathToSource: SRC,
    classValidatorShim: true,
    introspectComments: true,
    dtoFileNameSuffix: ['.dto.ts'],
    controllerFileNameSuffix: ['.controller.ts'],
    readonly: true,
  });
  for (const sf of program.getSourceFiles()) {
    if (!sf.isDeclarationFile && sf.fileName.startsWith(SRC)) visitor.visit(program, sf);
  }
  const collected = visitor.collect();
  const imports = visitor.typeImports;
  const body = f.createBlock(
    [
      f.createVariableStatement(
        undefined,
        f.createVariableDeclarationList(
          [
            f.createVariableDeclaration(
              't', // the name the visitor's type references use
              undefined,
              undefined,
              f.createObjectLiteralExpression(
                Object.keys(imports).map((k) =>
                  f.createPropertyAssignment(
                    f.createComputedPropertyName(f.createStringLiteral(k)),
                    f.createIdentifier(imports[k]),
                  ),
                ),
                true,
              ),
            ),
          ],
          ts.NodeFlags.Const,
        ),
      ),
      f.createReturnStatement(
        f.createObjectLiteralExpression([assign(ts, visitor.key, collected)], true),
      ),
    ],
    true,
  );
  const fn = f.createExportAssignment(
    undefined,
    undefined,
    f.createArrowFunction(
      [f.createToken(ts.SyntaxKind.AsyncKeyword)],
      undefined,
      [],
      undefined,
      f.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
      body,
    ),
  );
  const file = ts.createSourceFile('x.ts', '', ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const printed = ts
    .createPrinter({ newLine: ts.NewLineKind.LineFeed })
    .printNode(ts.EmitHint.Unspecified, fn, file);
  const { responses, schemas } = contractSchemas(program, SRC);
  return [
    '/* eslint-disable */',
    '// Generated by apps/api/scripts/openapi-metadata.js from the DTOs and controllers: do not edit.',
    FINGERPRINT_LINE(digest),
    printed,
    '',
    "/** What each route answers ('Controller.method'), from the wire types its handler returns. */",
    `export const responses: Record<string, object> = ${JSON.stringify(responses)};`,
    '',
    '/** The named wire types those answers refer to. */',
    `export const schemas: Record<string, object> = ${JSON.stringify(schemas)};`,
    '',
  ].join('\n');
}

/** Writes the file unless it records the sources' fingerprint already (or `force`). */
function main(force) {
  const digest = fingerprint();
  const name = path.relative(process.cwd(), OUT);
  if (!force && existsSync(OUT) && readFileSync(OUT, 'utf8').includes(FINGERPRINT_LINE(digest))) {
    process.stdout.write(`${name} is up to date\n`);
    return;
  }
  writeFileSync(OUT, openApiMetadataSource(digest));
  process.stdout.write(`wrote ${name}\n`);
}

if (require.main === module) {
  try {
    main(process.argv.includes('--force'));
  } catch (e) {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  }
}
