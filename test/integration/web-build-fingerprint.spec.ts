import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS build script without typings, typed here
const { fingerprint, upToDate, STAMP } = require('../../apps/web/scripts/build-if-changed.cjs') as {
  fingerprint: (inputs: string[], root: string) => string;
  upToDate: (dist: string, print: string) => boolean;
  STAMP: string;
};

/** `npm start` rebuilds the web app only when what it is built from changed. */
describe('the web build fingerprint', () => {
  let root: string;
  let inputs: string[];
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'crm-fingerprint-'));
    mkdirSync(join(root, 'src', 'features'), { recursive: true });
    writeFileSync(join(root, 'src', 'main.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'src', 'features', 'grid.vue'), '<template><div /></template>\n');
    writeFileSync(join(root, 'package-lock.json'), '{}\n');
    inputs = [join(root, 'src'), join(root, 'package-lock.json'), join(root, 'absent.config.ts')];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('given the same files, when only their times change, then the fingerprint is the same', () => {
    const before = fingerprint(inputs, root);
    utimesSync(join(root, 'src', 'main.ts'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(fingerprint(inputs, root)).toBe(before);
  });

  it.each([
    [
      "a file's content changes",
      () => writeFileSync(join(root, 'src', 'main.ts'), 'export const a = 2;\n'),
    ],
    ['a file is added', () => writeFileSync(join(root, 'src', 'features', 'new.ts'), '')],
    [
      'a file is renamed',
      () => {
        rmSync(join(root, 'src', 'main.ts'));
        writeFileSync(join(root, 'src', 'index.ts'), 'export const a = 1;\n');
      },
    ],
    [
      'the lock file changes',
      () => writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}\n'),
    ],
    ['an input that was absent appears', () => writeFileSync(join(root, 'absent.config.ts'), '')],
  ])('given a built app, when %s, then it is no longer up to date', (_what, change) => {
    const dist = join(root, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html>');
    writeFileSync(join(dist, STAMP), `${fingerprint(inputs, root)}\n`);
    expect(upToDate(dist, fingerprint(inputs, root))).toBe(true);
    change();
    expect(upToDate(dist, fingerprint(inputs, root))).toBe(false);
  });

  it('given no build at all, or a build without its stamp, then it is not up to date', () => {
    const dist = join(root, 'dist');
    expect(upToDate(dist, fingerprint(inputs, root))).toBe(false);
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html>');
    expect(upToDate(dist, fingerprint(inputs, root))).toBe(false);
  });
});
