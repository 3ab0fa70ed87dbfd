/**
 * Reads settings from one environment and collects every problem found, so that start-up can list
 * them all together.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The trimmed value, or undefined when unset or blank. */
  str(key: string): string | undefined {
    const v = this.env[key];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  /** The value as it was set (a password may start or end with a space), or null when unset or empty. */
  raw(key: string): string | null {
    return this.env[key] ? (this.env[key] as string) : null;
  }

  int(key: string, fallback: number, min: number, max: number): number {
    const raw = this.str(key);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      this.problem(`${key} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  }

  problem(message: string): void {
    this.problems.push(message);
  }
}
