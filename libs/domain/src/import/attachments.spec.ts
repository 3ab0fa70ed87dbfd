import { formatAttachments, parseAttachments } from './attachments';

describe('Airtable attachment cells', () => {
  it('reads several attachments, keeping names with brackets and commas', () => {
    expect(
      parseAttachments(
        'deck.pdf (https://dl.airtable.com/a/deck.pdf),Photo, Board (v2).png (https://v5.airtableusercontent.com/x/y?z=1)',
      ),
    ).toEqual([
      { filename: 'deck.pdf', url: 'https://dl.airtable.com/a/deck.pdf' },
      { filename: 'Photo, Board (v2).png', url: 'https://v5.airtableusercontent.com/x/y?z=1' },
    ]);
  });

  it('accepts ", " between items', () => {
    expect(
      parseAttachments('a.pdf (https://x.example/a), b.pdf (https://x.example/b)'),
    ).toHaveLength(2);
  });

  it('is null for text that is not attachments', () => {
    expect(parseAttachments('Met at (the) conference')).toBeNull();
    expect(parseAttachments('file.pdf (ftp://x.example/f)')).toBeNull();
    expect(parseAttachments('deck.pdf (https://x.example/a) and more')).toBeNull();
    expect(parseAttachments('')).toBeNull();
  });

  it('writes them back the way it reads them', () => {
    const list = [
      { filename: 'Q3, final (2).pdf', url: 'https://x.example/q3' },
      { filename: 'b.png', url: 'https://x.example/b' },
    ];
    expect(parseAttachments(formatAttachments(list))).toEqual(list);
  });
});
