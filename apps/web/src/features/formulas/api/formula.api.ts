import type { EvaluateFormulaRequest, FormulaPreview } from '@crm/contracts';
import { post } from '../../../app/http';

export type { FormulaPreview } from '@crm/contracts';

export const formulaApi = {
  /** The formula's value on a record of the table (or on sample values by field name). */
  evaluate: (body: EvaluateFormulaRequest, signal?: AbortSignal) =>
    post<FormulaPreview>('/api/fundraising/formula/evaluate', body, { signal }),
};
