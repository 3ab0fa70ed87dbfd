import { UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Authenticator, type Strategy } from 'passport';
import { type Authenticated } from './authed-request';

/** The one answer to every failed token check: nothing says which check failed. */
export const UNAUTHORIZED_MESSAGE = 'sign in to continue';

/**
 * Runs strategies through passport, in order, until one accepts the request. The strategies live
 * in an authenticator of their own rather than passport's global one: a process (a test run) may
 * hold several apps, each with its own key and users, and names in the global registry would be
 * shared between them. Passport runs each request on its own copy of the strategy.
 */
export class PassportAuthenticate {
  private readonly passport = new Authenticator();
  private readonly names: string[];

  constructor(strategies: (Strategy & { name: string })[]) {
    for (const s of strategies) this.passport.use(s.name, s);
    this.names = strategies.map((s) => s.name);
  }

  /**
   * Who is behind the request, or a 401 that does not say which check failed. `only`: the one
   * strategy the request's credential is for, when the caller can tell (no failed attempt first).
   */
  run(req: Request, res: Response, only?: string): Promise<Authenticated> {
    return new Promise((resolve, reject) => {
      const done = (err: unknown, who: Authenticated | false | undefined) => {
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else if (who) resolve(who);
        else reject(new UnauthorizedException(UNAUTHORIZED_MESSAGE));
      };
      const names = only === undefined ? this.names : [only];
      const middleware = this.passport.authenticate(names, { session: false }, done) as (
        req: Request,
        res: Response,
        next: (err?: unknown) => void,
      ) => void;
      middleware(req, res, (err) => done(err, false));
    });
  }
}
