import { type FieldDefinition } from '@crm/events';
import { LIMITS } from '../../values/limits';
import { type ImportIssue, type ImportPlan } from '../plan-import.types';
import { type MappedColumn } from './plan-rows';
import { type ChoiceGrowth } from './read-cells.step';
import { choicesOf } from './select-choices';

export interface GrownChoices {
  /** Each mapped column's field as the plan stores values into it (a select with its new choices). */
  fields: FieldDefinition[];
  new_choices: ImportPlan['new_choices'];
  /** A select that would pass the choice limit blocks the import. */
  errors: ImportIssue[];
}

/** Step 3: select fields gain the values of the file they do not know yet, in order of first use. */
export function growChoices(
  mapped: readonly MappedColumn[],
  growth: readonly (ChoiceGrowth | null)[],
): GrownChoices {
  const errors: ImportIssue[] = [];
  const fields = mapped.map((c, j) => {
    const ext = growth[j];
    if (!ext || ext.added.length === 0) return c.field;
    if (ext.known.size > LIMITS.choices)
      errors.push({
        line: null,
        column: c.name,
        message: `has ${ext.known.size} different values, more than the ${LIMITS.choices} choices a select field holds: import it as text`,
      });
    const choices = [...choicesOf(c.field), ...ext.added].map((name) => ({ name }));
    return { ...c.field, options: { ...c.field.options, choices } };
  });
  const new_choices = growth.flatMap((ext, j) =>
    ext && ext.added.length ? [{ field_id: mapped[j].field.id, choices: ext.added }] : [],
  );
  return { fields, new_choices, errors };
}
