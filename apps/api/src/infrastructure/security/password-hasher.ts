import * as argon2 from 'argon2';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (about 30-60 ms on a small server). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * argon2id hashing. `verify` of an unknown account still spends the time of a real check against a
 * dummy hash, so that a sign-in's timing does not tell whether the address has an account.
 */
export class PasswordHasher {
  private dummy: Promise<string> | null = null;

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    const target =
      hash ??
      (await (this.dummy ??= argon2.hash('not a real password, only spends time', OPTIONS)));
    try {
      const ok = await argon2.verify(target, password);
      return ok && hash !== undefined;
    } catch {
      return false;
    }
  }

  /** True when the hash was made with weaker parameters than today's; the caller re-hashes after a good sign-in. */
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, OPTIONS);
    } catch {
      return false;
    }
  }
}
