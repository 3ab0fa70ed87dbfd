import { LIMITS } from '@crm/domain';
import { apiSuite } from '../support/api-suite';
import { fixture, upload, uploadOk } from '../support/imports';

const BASE =
  'Name,Notes,Amount\n"Société Générale","Line one\nline two, with ""quotes""\tand a tab",1200\nÆrø Fond,,7\n';
const utf16le = (s: string, bom = true) =>
  Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};

describe('CSV import: reading the file', () => {
  const t = apiSuite();
  let n = 0;

  const preview = async (file: Buffer, fields: Record<string, string> = {}) =>
    uploadOk(t, file, { new_table_name: `Parsed ${++n}`, ...fields }, 'file.csv');

  it.each([
    ['UTF-8', Buffer.from(BASE, 'utf8'), 'utf-8'],
    [
      'UTF-8 with a byte-order mark',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BASE, 'utf8')]),
      'utf-8',
    ],
    ['CRLF line ends', Buffer.from(BASE.replace(/\n(?=[^l])/g, '\r\n'), 'utf8'), 'utf-8'],
    ['CR line ends', Buffer.from(BASE.replace(/\n(?=[^l])/g, '\r'), 'utf8'), 'utf-8'],
    ['UTF-16LE with a byte-order mark', utf16le(BASE), 'utf-16le'],
    ['UTF-16LE without one', utf16le(BASE, false), 'utf-16le'],
    ['UTF-16BE', utf16be(BASE), 'utf-16be'],
    [
      'semicolons',
      Buffer.from(
        'Name;Notes;Amount\n"Société Générale";"Line one\nline two, with ""quotes""\tand a tab";1200\nÆrø Fond;;7\n',
        'utf8',
      ),
      'utf-8',
    ],
  ])('reads %s to the same rows', async (_label, file, encoding) => {
    const session = await preview(file);
    expect(session.encoding).toBe(encoding);
    expect(session.columns.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Notes',
      'Amount',
    ]);
    expect(session.rows).toBe(2);
    const notes = session.columns[1];
    expect(notes.samples).toEqual([
      expect.stringMatching(/^Line one(\r\n|\r|\n)line two, with "quotes"\tand a tab$/),
    ]);
    expect(session.columns[0].samples).toEqual(['Société Générale', 'Ærø Fond']);
    expect(session.columns[2]).toMatchObject({ inferred_type: 'number', samples: ['1200', '7'] });
  });

  it('detects tabs and semicolons, and reads European Excel: Windows-1252, decimal commas, day-first dates', async () => {
    const tab = await preview(Buffer.from('Name\tCity\nAcme\tParis\n'));
    expect(tab).toMatchObject({ delimiter: '\t', columns: [{ name: 'Name' }, { name: 'City' }] });
    const euro = await preview(fixture('european-cp1252.csv'));
    expect(euro).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    const col = (name: string) => euro.columns.find((c: { name: string }) => c.name === name);
    expect(col('Nom').samples).toEqual(['Société Générale', 'Crédit Agricole', 'Ærø Fond']);
    expect(col('Montant')).toMatchObject({ inferred_type: 'number', format: { decimal: ',' } });
    expect(col('Date')).toMatchObject({ inferred_type: 'date', format: { date_order: 'dmy' } });
    expect(euro.plan).toMatchObject({ create: 3, errors: [] });
  });

  it('refuses bytes that are not text in the encoding, naming the line, rather than storing mojibake', async () => {
    const broken = Buffer.concat([
      Buffer.from('Name\nSociété\nCaf', 'utf8'),
      Buffer.from([0xe9]),
      Buffer.from('\n', 'utf8'),
    ]);
    const res = await upload(t, broken, { new_table_name: 'Broken' }).expect(400);
    expect(res.body.message).toMatch(/not valid UTF-8: the bytes on line 3/);
    expect(res.body.details).toMatchObject({ line: 3 });
    const cp1252 = await upload(t, Buffer.from([0x4e, 0x61, 0x6d, 0x65, 0x0a, 0x41, 0x81, 0x0a]), {
      new_table_name: 'Bad 1252',
    }).expect(400);
    expect(cp1252.body.message).toMatch(/not valid Windows-1252 text: byte 0x81 on line 2/);
    const declared = await upload(t, Buffer.from([0x4e, 0x0a, 0xe9, 0x0a]), {
      new_table_name: 'Declared',
      encoding: 'utf-8',
    }).expect(400);
    expect(declared.body.message).toMatch(/not valid UTF-8 \(line 2\)/);
    const nul = await upload(t, Buffer.from('Name\nA\u0000B\n'), { new_table_name: 'Nul' }).expect(
      400,
    );
    expect(nul.body.message).toMatch(/NUL character on line 2/);
  });

  it('reports a quote that is never closed, with its line', async () => {
    const res = await upload(t, Buffer.from('Name,Notes\nA,"open\nB,x\n'), {
      new_table_name: 'Open quote',
    }).expect(400);
    expect(res.body.message).toMatch(/not valid CSV at line 2: a quoted value is never closed/);
  });

  it('names duplicate and empty headers, takes a header-only file, and ignores trailing blank lines', async () => {
    const dup = await preview(Buffer.from('Name,name,,Name\na,b,c,d\n\n\n'));
    expect(dup.columns.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'name (2)',
      'Column 3',
      'Name (3)',
    ]);
    expect(dup.rows).toBe(1);
    const headerOnly = await preview(Buffer.from('Name,Email\n'));
    expect(headerOnly).toMatchObject({ rows: 0, plan: { create: 0, errors: [] } });
    await upload(t, Buffer.alloc(0), { new_table_name: 'Empty' }).expect(400);
  });

  it('refuses a file over the size limit with 413 before reading it', async () => {
    const res = await upload(t, Buffer.alloc(LIMITS.importFileBytes + 100 * 1024, 'a'), {
      new_table_name: 'Huge',
    });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/larger than the 50 MB/);
  });

  it('refuses more rows than the limit with 413', async () => {
    const rows = `Name\n${'x\n'.repeat(LIMITS.importRows + 1)}`;
    const res = await upload(t, Buffer.from(rows), { new_table_name: 'Too many' });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/more than 200,000 rows/);
  });
});
