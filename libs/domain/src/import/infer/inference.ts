import { DEFAULT_FORMAT } from '../column-format';
import { confidenceReason } from '../confidence-reason';
import { type ColumnInference, type InferOptions, type InferredType } from '../infer-column';
import { type ColumnSurvey } from './column-survey';

/**
 * One column being inferred: its values, the positions that count, the notes so far, and how sure a
 * guess can be. Each type's step asks it whether all values fit, and words its result.
 */
export class Inference {
  readonly notes: string[] = [];
  readonly nonEmpty: number;
  /** More values, more certainty: 1 value → 0.7, 5 or more → 1. */
  readonly evidence: number;
  /** How many values the checks read (all, unless the caller samples and verifies the rest). */
  readonly sampled: number;
  /** Positions of the values the checks read. */
  readonly checked: readonly number[];

  constructor(
    readonly header: string,
    readonly values: readonly string[],
    readonly survey: ColumnSurvey,
    readonly lineOf: (i: number) => number,
    opts: InferOptions,
  ) {
    const { present } = survey;
    this.nonEmpty = present.length;
    this.evidence = Math.min(1, 0.625 + 0.075 * this.nonEmpty);
    this.sampled =
      opts.sample !== undefined && this.nonEmpty > opts.sample ? opts.sample : this.nonEmpty;
    this.checked =
      opts.sample !== undefined && present.length > opts.sample
        ? present.slice(0, opts.sample)
        : present;
  }

  /** The first value that counts, trimmed: what each type's step looks at before checking them all. */
  get first(): string {
    return this.values[this.survey.present[0]].trim();
  }

  result(
    inferred_type: InferredType,
    confidence: number,
    extra: Partial<ColumnInference> = {},
  ): ColumnInference {
    const rounded = Math.round(confidence * 100) / 100;
    return {
      inferred_type,
      confidence: rounded,
      confidence_reason: confidenceReason(
        inferred_type,
        this.nonEmpty,
        this.sampled,
        rounded,
        this.evidence,
      ),
      samples: this.survey.samples,
      format: { ...DEFAULT_FORMAT },
      options: {},
      non_empty: this.nonEmpty,
      date_ambiguity: null,
      notes: this.notes,
      ...extra,
    };
  }

  /** A result that also says how many formula errors it imports as empty. */
  withErrors(r: ColumnInference): ColumnInference {
    if (this.survey.formulaErrors)
      r.notes.push(
        `${this.survey.formulaErrors} formula error value(s) (NaN, #ERROR!) are imported as empty`,
      );
    return r;
  }

  textType(): InferredType {
    return this.survey.multiline || this.survey.longest > 255 ? 'long_text' : 'text';
  }

  all(test: (v: string) => boolean): boolean {
    for (const i of this.checked) if (!test(this.values[i])) return false;
    return true;
  }

  /** The share of values that pass, or 0 as soon as more than a tenth fail (it only matters near 1). */
  nearShare(test: (v: string) => boolean): number {
    let fails = 0;
    const budget = Math.floor(this.checked.length / 10);
    for (const i of this.checked) if (!test(this.values[i]) && ++fails > budget) return 0;
    return (this.checked.length - fails) / this.checked.length;
  }
}
