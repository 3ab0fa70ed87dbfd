'use strict';
/** The rows of the figures table `npm run bench` prints: [measure, value, target, pass or null]. */

const fmt = (n, d = 2) =>
  typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: d }) : String(n);

/** A row whose target is said in words (`ok`: whether it is met). */
const row = (name, value, target, ok) => [name, value, target, ok];
/** A figure with no target, shown for scale. */
const info = (name, value) => row(name, value, '—', null);
/** A figure that passes at `limit` or below. */
const atMost = (name, value, limit) => row(name, value, `≤ ${fmt(limit)}`, value <= limit);
/** A figure that passes at `limit` or above. */
const atLeast = (name, value, limit) => row(name, value, `≥ ${fmt(limit)}`, value >= limit);

/** The table: one line per row, sections under their title, names padded to the longest. */
function formatTable(sections) {
  const width = Math.max(...sections.flatMap(([, rs]) => rs.map((x) => x[0].length)));
  const lines = [
    `${'measure'.padEnd(width)}  ${'value'.padStart(12)}  ${'target'.padStart(10)}  result`,
  ];
  for (const [title, rs] of sections) {
    if (title) lines.push('', title);
    for (const [name, value, target, ok] of rs)
      lines.push(
        `${name.padEnd(width)}  ${fmt(value).padStart(12)}  ${target.padStart(10)}  ${ok === null ? '' : ok ? 'pass' : 'MISS'}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

module.exports = { fmt, row, info, atMost, atLeast, formatTable };
