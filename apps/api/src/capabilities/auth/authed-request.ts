import type { Request } from 'express';
import type { Actor } from '../../infrastructure/request-context/actor';

/** What a long-lived request (the live stream) re-checks while it stays open. */
export interface RequestSession {
  user_id: string;
  token_version: number;
  role: Actor['role'];
  expires_at_ms: number;
  /** For an API token: false once it is revoked, expired or its owner disabled. */
  still_valid?: () => boolean;
}

/** How the credential came: the Authorization header or the web app's session cookie. */
export type AuthVia = 'bearer' | 'cookie';

/** What a strategy found behind a request; the guard copies it onto the request. */
export interface Authenticated {
  actor: Actor;
  session: RequestSession;
  via: AuthVia;
  /** An API token's scope; a session may do what its role allows. */
  scope?: 'read' | 'write';
}

export type AuthedRequest = Request & {
  actor?: Actor;
  authVia?: AuthVia;
  session?: RequestSession;
};
