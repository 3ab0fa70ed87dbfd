import { dictionary } from '@zxcvbn-ts/language-common';

let common: Set<string> | null = null;

/**
 * The zxcvbn-ts list of the most common passwords (about 49,000, from real leaks), loaded on first use.
 * Takes lower-cased text.
 */
export function isCommonPassword(lowercase: string): boolean {
  common ??= new Set(
    (dictionary as Record<string, string[]>)['passwords-common'].map((p) => p.toLowerCase()),
  );
  return common.has(lowercase);
}
