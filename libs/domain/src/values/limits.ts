/** Limits people can rely on; the README and SECURITY.md state the same numbers. */
export const LIMITS = {
  /** Characters (Unicode code points) in one text cell. */
  textCellChars: 100_000,
  /** Characters in a table, field or view name. */
  nameChars: 200,
  /** Choices of a select field; items of a multiple-select or link cell. */
  choices: 1_000,
  cellItems: 5_000,
  fieldsPerTable: 500,
  /** Changes in one POST /changes batch, records in one create batch. */
  changesPerBatch: 10_000,
  /** A CSV file to import: its size in bytes, its data rows and its columns. */
  importFileBytes: 50 * 1024 * 1024,
  importRows: 200_000,
  importColumns: 500,
} as const;

export const codePointLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};
