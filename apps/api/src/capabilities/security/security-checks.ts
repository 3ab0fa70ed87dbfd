import { Injectable } from '@nestjs/common';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface SecurityCheck {
  id: string;
  status: CheckStatus;
  message: string;
}

export interface CheckContext {
  /** The request arrived over TLS (directly, or as a trusted proxy reported). */
  secure: boolean;
  now: string;
}

export type CheckContributor = (ctx: CheckContext) => SecurityCheck;

/**
 * Checks that other capabilities add to the security status (backups will add theirs); the built-in
 * ones are in SecurityStatus. Until a capability registers a check for an id, its placeholder shows.
 */
@Injectable()
export class SecurityCheckRegistry {
  private readonly contributors = new Map<string, CheckContributor>();

  register(id: string, check: CheckContributor): void {
    this.contributors.set(id, check);
  }

  get(id: string): CheckContributor | undefined {
    return this.contributors.get(id);
  }
}
