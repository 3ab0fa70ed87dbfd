import { DomainError, DOMAIN_ERROR_REASONS, illegal, invalid, notFound } from './errors';

describe('DomainError reason', () => {
  it('given no reason, when thrown, then the code gives one', () => {
    expect(invalid('bad').reason).toBe('invalid_value');
    expect(notFound('gone').reason).toBe('not_found');
    expect(illegal('not now').reason).toBe('illegal_state');
    expect(new DomainError('conflict', 'taken').reason).toBe('conflict');
    expect(new DomainError('forbidden', 'no').reason).toBe('forbidden');
  });

  it('given a known reason in the details, when thrown, then it is the reason too', () => {
    const e = invalid('too deep', { field: 'config', reason: 'too_deep' });
    expect(e.reason).toBe('too_deep');
    expect(e.details).toEqual({ field: 'config', reason: 'too_deep' });
  });

  it('given an unknown word in details.reason, when thrown, then the code decides', () => {
    expect(invalid('odd', { reason: 'something else' }).reason).toBe('invalid_value');
  });

  it('given an explicit reason, when thrown, then it wins over the details', () => {
    const e = new DomainError('forbidden', 'used', { reason: 'used' }, 'invite_used');
    expect(e.reason).toBe('invite_used');
    expect(e.details.reason).toBe('used');
  });

  it('every reason is snake_case and listed once', () => {
    for (const r of DOMAIN_ERROR_REASONS) expect(r).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(new Set(DOMAIN_ERROR_REASONS).size).toBe(DOMAIN_ERROR_REASONS.length);
  });
});
