import { describe, expect, it } from '@jest/globals';
import { ApiError, NetworkError } from '../../app/http';
import { ruleProblemOf } from './rule-problem';

const refusal = (reason: string, field: string, message = `${field}: as the API words it`) =>
  ApiError.of(
    400,
    { statusCode: 400, error: 'Bad Request', message, reason, details: { field } },
    '',
  );

describe('a refused rule as the editor words it', () => {
  it('given a reminder action refused by its reason, then words to fix it, on the part named', () => {
    expect(ruleProblemOf(refusal('wrong_table', 'actions[1].type'))).toEqual({
      message: 'A reminder is for an investor or a contact: pick one of those tables.',
      part: 'actions[1].type',
    });
    // As the dry run names it: inside the `rule` it was sent.
    expect(ruleProblemOf(refusal('invalid_value', 'rule.actions[0].due_in_days'))).toEqual({
      message: 'Due in: a whole number of days, from 0 to 3650.',
      part: 'actions[0].due_in_days',
    });
    expect(ruleProblemOf(refusal('unknown_user', 'actions[0].assignee')).message).toBe(
      'Remind the record’s Owner or a member of the team.',
    );
  });

  it('given any other refusal, then the API’s own message; given no answer, then says so', () => {
    expect(ruleProblemOf(refusal('invalid_value', 'trigger.at', 'trigger.at: HH:MM'))).toEqual({
      message: 'trigger.at: HH:MM',
      part: 'trigger.at',
    });
    expect(ruleProblemOf(new NetworkError()).part).toBeNull();
  });
});
