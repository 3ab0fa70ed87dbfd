import { LIMITS } from '../../values/limits';
import { PLAN_FIELDS as F, planInput } from '../../testing/given-plan-input';
import { checkMapping } from './check-mapping.step';
import { growChoices } from './grow-choices.step';
import { type ChoiceGrowth } from './read-cells.step';

const growth = (added: string[]): ChoiceGrowth => ({
  choices: new Set(['Lead']),
  known: new Set(['Lead', ...added]),
  padded: new Map(),
  added,
});

describe('growChoices (step 3 of planImport)', () => {
  const { mapped } = checkMapping(planInput([F.name, F.stage], []));

  it('given new values of a select, adds them after its choices and lists them', () => {
    const grown = growChoices(mapped, [null, growth(['Engaged'])]);
    expect(grown.fields[0]).toBe(F.name);
    expect(grown.fields[1].options.choices).toEqual([{ name: 'Lead' }, { name: 'Engaged' }]);
    expect(grown.new_choices).toEqual([{ field_id: 'fld_stage', choices: ['Engaged'] }]);
    expect(grown.errors).toEqual([]);
  });

  it('given no new value, leaves the field as it is', () => {
    const grown = growChoices(mapped, [null, growth([])]);
    expect(grown.fields[1]).toBe(F.stage);
    expect(grown.new_choices).toEqual([]);
  });

  it('given more values than a select holds, blocks the import', () => {
    const many = Array.from({ length: LIMITS.choices }, (_, i) => `v${i}`);
    const grown = growChoices(mapped, [null, growth(many)]);
    expect(grown.errors).toEqual([
      {
        line: null,
        column: 'Stage',
        message: `has ${LIMITS.choices + 1} different values, more than the ${LIMITS.choices} choices a select field holds: import it as text`,
      },
    ]);
  });
});
