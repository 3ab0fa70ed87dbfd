export type CsvDelimiter = ',' | ';' | '\t' | '|';
export const CSV_DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t', '|'];

/** Fields per line for one delimiter over the first lines, quotes respected. */
function counts(sample: string, delimiter: string, maxLines: number): number[] {
  const out: number[] = [];
  let fields = 1;
  let quoted = false;
  for (let i = 0; i < sample.length && out.length < maxLines; i++) {
    const c = sample[i];
    if (c === '"') {
      if (quoted && sample[i + 1] === '"') i++;
      else quoted = !quoted;
    } else if (!quoted && c === delimiter) fields++;
    else if (!quoted && (c === '\n' || c === '\r')) {
      if (c === '\r' && sample[i + 1] === '\n') i++;
      out.push(fields);
      fields = 1;
    }
  }
  // The last line counts only when it ended inside the sample.
  return out;
}

/**
 * The delimiter that splits the first lines into the same number of fields (more than one), preferring
 * the comma, then semicolon (European Excel), tab and pipe. A single-column file is comma-separated.
 */
export function sniffDelimiter(text: string): CsvDelimiter {
  const sample = text.slice(0, 64 * 1024);
  const lastBreak = Math.max(sample.lastIndexOf('\n'), sample.lastIndexOf('\r'));
  const whole =
    lastBreak > 0 && sample.length < text.length
      ? sample.slice(0, lastBreak + 1)
      : sample.endsWith('\n') || sample.endsWith('\r')
        ? sample
        : `${sample}\n`;
  let best: { d: CsvDelimiter; score: number } | null = null;
  for (const d of CSV_DELIMITERS) {
    const lines = counts(whole, d, 50);
    if (lines.length === 0 || lines[0] < 2) continue;
    const header = lines[0];
    const agree = lines.filter((n) => n === header).length / lines.length;
    const score = agree * 1000 + Math.min(header, 999);
    if (!best || score > best.score) best = { d, score };
  }
  return best?.d ?? ',';
}
