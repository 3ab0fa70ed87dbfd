import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

export interface Actor {
  id: string;
  name: string;
  role: 'admin' | 'member' | 'system';
  /** The API token the request came with: every write made with it is recorded as `api`, by name. */
  token?: { id: string; name: string };
}

/** Acts for changes nobody typed: the default base, start-up work, scheduled jobs. */
export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'System', role: 'system' };

/** The person behind the request, as the auth guard set it; the system actor when nobody is signed in. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  return req.actor ?? SYSTEM_ACTOR;
});
