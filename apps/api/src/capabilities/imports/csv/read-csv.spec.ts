import { readCsv, unifyLineBreaks } from './read-csv';
import { sniffDelimiter } from './sniff-delimiter';

describe('reading CSV', () => {
  it('keeps the line each row starts on, across quoted line breaks and blank lines', async () => {
    const csv = await readCsv('Name,Notes\nA,"one\r\ntwo"\n\nB,"x\ry"\nC,z\n');
    expect(csv.rows).toEqual([
      { line: 2, cells: ['A', 'one\r\ntwo'] },
      { line: 4, cells: [''] },
      { line: 5, cells: ['B', 'x\ry'] },
      { line: 7, cells: ['C', 'z'] },
    ]);
  });

  it('reads doubled quotes, and delimiters and tabs inside quotes', async () => {
    const csv = await readCsv('a;b\n"x;""y""";"\tz"\n');
    expect(csv).toMatchObject({ delimiter: ';', rows: [{ cells: ['x;"y"', '\tz'] }] });
  });

  it('makes a file of mixed line breaks LF outside quotes only', () => {
    expect(unifyLineBreaks('a\r\nb\n"c\r\nd"\re')).toBe('a\nb\n"c\r\nd"\ne');
    const same = 'a\r\nb\r\n';
    expect(unifyLineBreaks(same)).toBe(same);
  });

  it('detects the delimiter by consistent field counts', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(sniffDelimiter('Nom;Montant\n"Société, SA";1,5\n')).toBe(';');
    expect(sniffDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(sniffDelimiter('only\none\n')).toBe(',');
  });
});
