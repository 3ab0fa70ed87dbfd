import fc from 'fast-check';
import { isValidDate, isWebAddress } from './normalize';

/** What the checks answered before their fast paths: Date and the URL parser. */
function dateByDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

function webAddressByParser(s: string): boolean {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return false;
  }
  return (
    (u.protocol === 'http:' || u.protocol === 'https:') &&
    (u.hostname.includes('.') || u.hostname === 'localhost')
  );
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('isValidDate', () => {
  it('agrees with Date on every month and day 0 to 32 of years around each calendar rule', () => {
    const years = [
      ...Array.from({ length: 131 }, (_, i) => i), // 0000–0130: Date reads years below 100 as 19xx, so they are refused
      1582,
      1600,
      1700,
      1800,
      1899,
      1900,
      1904,
      1999,
      2000,
      2001,
      2024,
      2025,
      2100,
      2400,
      9996,
      9999,
    ];
    let checked = 0;
    for (const y of years) {
      for (let mo = 0; mo <= 13; mo++) {
        for (let d = 0; d <= 32; d++) {
          const s = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
          expect([s, isValidDate(s)]).toEqual([s, dateByDate(s)]);
          checked++;
        }
      }
    }
    expect(checked).toBe(147 * 14 * 33);
  });

  it('refuses what is not YYYY-MM-DD', () => {
    for (const s of [
      '2025-1-01',
      '2025-01-1',
      '25-01-01',
      '2025/01/01',
      '2025-01-01 ',
      ' 2025-01-01',
      '2025-01-01\n',
      '２０２５-01-01',
      '2025-01-0a',
      '',
    ]) {
      expect([s, isValidDate(s)]).toEqual([s, false]);
    }
  });

  it('agrees with Date on any text of ten characters made of digits and dashes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789-'), minLength: 10, maxLength: 10 }),
        (s) => isValidDate(s) === dateByDate(s),
      ),
      { numRuns: 20_000 },
    );
  });
});

describe('isWebAddress', () => {
  const label = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_'), minLength: 0, maxLength: 6 });
  const tail = fc.string({
    unit: fc.constantFrom(...'abz09-./?#=&%:@!$\'()*+,;~\\[]{}|^` \t"<>é'),
    maxLength: 12,
  });
  const address = fc
    .tuple(
      fc.constantFrom(
        'http://',
        'https://',
        'HTTPS://',
        'ftp://',
        'http:/',
        'mailto:',
        'http://user:pw@',
        'http://[::1]',
      ),
      fc.array(label, { minLength: 0, maxLength: 4 }),
      fc.constantFrom('com', 'co', 'x', 'xn--p1ai', 'xn--zz', '1', '256', '0x10', 'c0m', 'Org', ''),
      fc.constantFrom('', ':80', ':99999', '.', '..'),
      tail,
    )
    .map(
      ([scheme, labels, top, port, rest]) => `${scheme}${[...labels, top].join('.')}${port}${rest}`,
    );

  it('agrees with the URL parser on generated addresses, awkward ones included', () => {
    fc.assert(
      fc.property(address, (s) => isWebAddress(s) === webAddressByParser(s)),
      { numRuns: 20_000 },
    );
  });

  it('agrees with the URL parser on addresses people write', () => {
    const cases = [
      'https://investor1.example.com',
      'https://www.sequoiacap.com/companies/?stage=seed#top',
      'http://a.b',
      'https://a-.b-c.example',
      'https://localhost',
      'https://localhost:3000/x',
      'https://999.1.1.1',
      'https://1.2.3',
      'https://xn--80ak6aa92e.com',
      'https://xn--a.com',
      'https://exa mple.com',
      'https://example',
      'https://example.com:65536',
      'https://example.com:443/path',
      'https://user@example.com',
      'https://EXAMPLE.COM/A B',
      'https://münchen.de',
      'https://example.com/\\back',
      'https://example.com/%zz',
      'ftp://example.com',
      'https://.example.com',
      'https://example..com',
    ];
    for (const s of cases) expect([s, isWebAddress(s)]).toEqual([s, webAddressByParser(s)]);
  });
});
