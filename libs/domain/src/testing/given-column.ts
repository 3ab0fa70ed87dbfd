import { survey } from '../import/infer/column-survey';
import { Inference } from '../import/infer/inference';

/** A column being inferred from these values (lines from 2), as inferColumn starts it. */
export const givenColumn = (header: string, values: string[]): Inference =>
  new Inference(header, values, survey(values), (i) => i + 2, {});
