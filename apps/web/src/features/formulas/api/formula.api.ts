import { post } from '../../../app/http';

export type FormulaPreview =
  | { value: unknown; type: string }
  | {
      error: {
        message: string;
        position: number | null;
        length: number;
        kind: 'definition' | 'evaluation';
      };
    };

export const formulaApi = {
  /** The formula's value on a record of the table (or on sample values by field name). */
  evaluate: (
    body: {
      formula: string;
      table_id?: string;
      record_id?: string;
      fields?: Record<string, unknown>;
    },
    signal?: AbortSignal,
  ) => post<FormulaPreview>('/api/fundraising/formula/evaluate', body, { signal }),
};
