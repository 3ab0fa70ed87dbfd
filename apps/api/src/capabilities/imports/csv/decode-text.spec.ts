import { DomainError } from '@crm/domain';
import { decodeCsvBytes } from './decode-text';

const errorOf = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('decodeCsvBytes', () => {
  it('strips a UTF-8 byte-order mark and says so', () => {
    expect(decodeCsvBytes(Buffer.from('\uFEFFName\nCafé\n', 'utf8'))).toEqual({
      text: 'Name\nCafé\n',
      encoding: 'utf-8',
      bom: true,
    });
  });

  it('reads UTF-16 by its mark, or by its zero bytes without one', () => {
    const le = Buffer.from('Name\nÆrø\n', 'utf16le');
    expect(decodeCsvBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), le])).text).toBe('Name\nÆrø\n');
    expect(decodeCsvBytes(le)).toMatchObject({
      text: 'Name\nÆrø\n',
      encoding: 'utf-16le',
      bom: false,
    });
  });

  it('reads Windows-1252 when no byte sequence is UTF-8, including its 0x80–0x9F characters', () => {
    expect(
      decodeCsvBytes(
        Buffer.from([
          0x53, 0x6f, 0x63, 0x69, 0xe9, 0x74, 0xe9, 0x0a, 0x80, 0x35, 0x20, 0x93, 0x71, 0x94,
        ]),
      ),
    ).toEqual({ text: 'Société\n€5 “q”', encoding: 'windows-1252', bom: false });
  });

  it('refuses bytes Windows-1252 has no character for, and partly-UTF-8 files, naming the line', () => {
    expect(
      errorOf(() => decodeCsvBytes(Buffer.from([0x61, 0x0a, 0x62, 0x0d, 0x0a, 0x8d]))).details,
    ).toMatchObject({ line: 3, byte_offset: 5 });
    const mixed = Buffer.concat([Buffer.from('é\n', 'utf8'), Buffer.from([0x41, 0xe9, 0x0a])]);
    expect(errorOf(() => decodeCsvBytes(mixed)).message).toMatch(
      /not valid UTF-8: the bytes on line 2/,
    );
  });

  it('takes neither overlong forms nor encoded surrogates for UTF-8, and reads any valid UTF-8 as such', () => {
    expect(decodeCsvBytes(Buffer.from([0x41, 0xc0, 0xaf]))).toMatchObject({
      encoding: 'windows-1252',
      text: 'AÀ¯',
    });
    expect(decodeCsvBytes(Buffer.from([0x41, 0xed, 0xa0, 0x80]))).toMatchObject({
      encoding: 'windows-1252',
      text: 'Aí €',
    });
    const mixed = Buffer.concat([Buffer.from('é\n', 'utf8'), Buffer.from([0xf0, 0x90, 0x80])]);
    expect(errorOf(() => decodeCsvBytes(mixed)).details).toMatchObject({ line: 2, byte_offset: 3 });
    for (const text of ['Name\nCafé, 東京 👍\n', 'plain ascii\n', ''])
      expect(decodeCsvBytes(Buffer.from(text, 'utf8'))).toMatchObject({ text, encoding: 'utf-8' });
  });

  it('keeps to a declared encoding, and refuses NUL characters', () => {
    expect(errorOf(() => decodeCsvBytes(Buffer.from([0x41, 0xe9]), 'utf-8')).message).toMatch(
      /not valid UTF-8/,
    );
    expect(decodeCsvBytes(Buffer.from([0x41, 0xe9]), 'windows-1252').text).toBe('Aé');
    expect(errorOf(() => decodeCsvBytes(Buffer.from('a\nb\u0000\n'))).message).toMatch(
      /NUL character on line 2/,
    );
  });
});
