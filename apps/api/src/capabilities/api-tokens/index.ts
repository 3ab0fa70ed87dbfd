// What other capabilities may use of API tokens. The routes' module is left out: its controllers
// import the auth capability, which imports this file for the verifier; the app module imports it.
export { ApiTokensStoreModule } from './api-tokens-store.module';
export { ApiTokenAuthModule } from './api-token-auth.module';
export { ApiTokensRepository } from './api-tokens.repository';
export { ApiTokenVerifier, type ApiTokenCheck, type ApiTokenRefusal } from './api-token.verifier';
export { API_TOKEN_PREFIX } from './api-token-secret';
