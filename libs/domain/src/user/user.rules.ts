import { USER_ROLES, type UserRole } from '@crm/events';
import { invalid } from '../errors';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const USER_NAME_MAX_LENGTH = 100;
export const EMAIL_MAX_LENGTH = 254;

// One @, a dot in the domain, nothing that could be whitespace or a control character.
const EMAIL = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}.]+(\.[^\s@\p{Cc}.]+)+$/u;

/** Addresses compare lower-cased, so that Ada@Fund.example and ada@fund.example are one account. */
export function normalizeEmail(email: unknown): string {
  if (typeof email !== 'string') throw invalid('email must be text', { field: 'email' });
  const e = email.trim().toLowerCase();
  if (e.length > EMAIL_MAX_LENGTH || !EMAIL.test(e))
    throw invalid('email must be an address like name@fund.example', { field: 'email' });
  return e;
}

export function checkUserName(name: unknown): string {
  if (typeof name !== 'string') throw invalid('name must be text', { field: 'name' });
  const n = name.trim();
  if (n.length === 0 || [...n].length > USER_NAME_MAX_LENGTH)
    throw invalid(`name must be 1 to ${USER_NAME_MAX_LENGTH} characters`, { field: 'name' });
  if (/\p{Cc}/u.test(n))
    throw invalid('name must not contain control characters', { field: 'name' });
  return n;
}

export function checkRole(role: unknown): UserRole {
  if (!USER_ROLES.includes(role as UserRole))
    throw invalid(`role must be one of ${USER_ROLES.join(', ')}`, { field: 'role' });
  return role as UserRole;
}

export interface PasswordContext {
  email?: string;
  name?: string;
}

/**
 * Why a password is refused, or null when it is acceptable: 12 to 256 characters, not on the list
 * of common passwords (as is, or once the digits and symbols around it are taken off), not one short
 * piece repeated, and not the person's own address or name. `isCommon` gets lower-cased text.
 */
export function passwordProblem(
  password: unknown,
  context: PasswordContext,
  isCommon: (lowercase: string) => boolean,
): string | null {
  if (typeof password !== 'string') return 'the password must be text';
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    return `the password must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (length > PASSWORD_MAX_LENGTH)
    return `the password must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  const lower = password.toLowerCase();
  const core = lower.replace(/^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu, '');
  if (isCommon(lower) || (core.length >= 4 && isCommon(core)))
    return 'this password is one of the most common passwords; choose another';
  if (/^(.{1,8}?)\1+$/su.test(lower) || new Set(lower).size < 5)
    return 'the password repeats too few characters; choose a longer mix';
  const own = [context.email, context.email?.split('@')[0], context.name?.replace(/\s+/g, '')]
    .filter((s): s is string => !!s && s.length >= 3)
    .map((s) => s.toLowerCase());
  const squeezed = lower.replace(/\s+/g, '');
  if (own.some((s) => squeezed === s || core.replace(/\s+/g, '') === s))
    return 'the password must not be your email address or name';
  return null;
}

export function checkPassword(
  password: unknown,
  context: PasswordContext,
  isCommon: (lowercase: string) => boolean,
): string {
  const problem = passwordProblem(password, context, isCommon);
  if (problem) throw invalid(problem, { field: 'password' });
  return password as string;
}
