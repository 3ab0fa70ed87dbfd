import { domainErrorOf } from '../testing/domain-error-of';
import { checkRole, checkUserName, normalizeEmail, passwordProblem } from './user.rules';

const COMMON = new Set([
  'password',
  'qwerty',
  'dragon',
  'letmein',
  'sunshine',
  'password1234',
  'iloveyou',
]);
const isCommon = (p: string) => COMMON.has(p);

describe('account rules', () => {
  it('lower-cases and trims addresses and refuses what is not one', () => {
    expect(normalizeEmail('  Ada@Fund.Example ')).toBe('ada@fund.example');
    for (const bad of [
      '',
      'ada',
      'ada@',
      '@fund.example',
      'ada@fund',
      'a da@fund.example',
      'ada@@fund.example',
      'ada@fund.exa\u0000mple',
      'ada@fu nd.example',
      `${'a'.repeat(65)}@fund.example`,
      42,
      null,
    ]) {
      expect(domainErrorOf(() => normalizeEmail(bad)).details).toEqual({ field: 'email' });
    }
  });

  it('takes names of 1 to 100 characters without control characters', () => {
    expect(checkUserName('  Ada Lovelace ')).toBe('Ada Lovelace');
    expect(checkUserName('é'.repeat(100))).toHaveLength(100);
    expect(domainErrorOf(() => checkUserName('   ')).message).toBe(
      'name must be 1 to 100 characters',
    );
    expect(domainErrorOf(() => checkUserName('x'.repeat(101))).message).toBe(
      'name must be 1 to 100 characters',
    );
    expect(domainErrorOf(() => checkUserName('Ada\u0007')).message).toBe(
      'name must not contain control characters',
    );
  });

  it('knows two roles', () => {
    expect(checkRole('admin')).toBe('admin');
    expect(checkRole('member')).toBe('member');
    expect(domainErrorOf(() => checkRole('owner')).message).toBe(
      'role must be one of admin, member',
    );
  });

  describe('passwordProblem', () => {
    it('accepts a long, uncommon password', () => {
      expect(passwordProblem('Tiny-Lantern-Orbit-58', {}, isCommon)).toBeNull();
      expect(passwordProblem('x'.repeat(5) + 'abcdefg', {}, isCommon)).toBeNull();
    });

    it.each([
      ['Short-pass1', 'the password must be at least 12 characters long'],
      ['a'.repeat(257), 'the password must be at most 256 characters long'],
    ])('refuses a password outside 12..256 characters: %s', (pw, message) => {
      expect(passwordProblem(pw, {}, isCommon)).toBe(message);
    });

    it('counts characters, not bytes or UTF-16 units', () => {
      expect(passwordProblem('🔑'.repeat(11) + 'a', {}, isCommon)).toBe(
        'the password repeats too few characters; choose a longer mix',
      );
      expect(passwordProblem('🔑🎲🌍🚀🐙' + 'abcdefg', {}, isCommon)).toBeNull();
      expect(passwordProblem('🔑'.repeat(256) + 'x', {}, isCommon)).toBe(
        'the password must be at most 256 characters long',
      );
    });

    it.each([
      'Password1234',
      'PASSWORD1234',
      '!!Password1234!!',
      '2024-sunshine-2024',
      'iloveyou!!!!!!',
    ])('refuses a common password, also dressed in digits and symbols: %s', (pw) => {
      expect(passwordProblem(pw, {}, isCommon)).toBe(
        'this password is one of the most common passwords; choose another',
      );
    });

    it.each(['abcabcabcabc', 'aaaaaaaaaaaaaa', '121212121212', 'aabbaabbaabbaabb'])(
      'refuses a short piece repeated: %s',
      (pw) => {
        expect(passwordProblem(pw, {}, isCommon)).toBe(
          'the password repeats too few characters; choose a longer mix',
        );
      },
    );

    it("refuses the person's own address or name", () => {
      expect(
        passwordProblem(
          'ada.lovelace@fund.example',
          { email: 'ada.lovelace@fund.example' },
          isCommon,
        ),
      ).toBe('the password must not be your email address or name');
      expect(
        passwordProblem('Ada.Lovelace2026', { email: 'ada.lovelace@fund.example' }, isCommon),
      ).toBe('the password must not be your email address or name');
      expect(passwordProblem('Ada Lovelace!!!', { name: 'Ada Lovelace' }, isCommon)).toBe(
        'the password must not be your email address or name',
      );
      expect(
        passwordProblem('Ada Lovelace counts engines', { name: 'Ada Lovelace' }, isCommon),
      ).toBeNull();
    });

    it('refuses what is not text', () => {
      expect(passwordProblem(123456789012, {}, isCommon)).toBe('the password must be text');
    });
  });
});
