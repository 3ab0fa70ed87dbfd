/** POST /api/fundraising/formula/evaluate: a formula on a record of the table, or on sample values. */
export interface EvaluateFormulaRequest {
  formula: string;
  table_id?: string;
  record_id?: string;
  fields?: Record<string, unknown>;
}

/** Its value, or the mistake (a formula with a mistake is answered 200: that is what a preview is for). */
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
