// The auth capability's public surface: what other capabilities may import. AuthModule and
// AuthService are left out: they import the users capability, whose controllers import this file,
// and the cycle would leave one side undefined at load time. The app module imports AuthModule.
export {
  Public,
  PublicWithLimit,
  RateLimit,
  type RateLimitGroup,
  Roles,
  PUBLIC_KEY,
  ROLES_KEY,
} from './access.decorators';
export type { Authenticated, AuthedRequest, AuthVia, RequestSession } from './authed-request';
export { AuthGuard } from './auth.guard';
export { RateLimitGuard } from './rate-limit.guard';
export { UNAUTHORIZED_MESSAGE } from './passport-authenticate';
export { SESSION_COOKIE } from './session-cookie';
