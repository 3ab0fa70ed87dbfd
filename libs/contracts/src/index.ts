/*
 * The API's wire types, written once: the API's controllers and services answer with them and the
 * web app reads them. Grouped by capability; the error body is shared by every route.
 */
export * from './errors';
export * from './auth';
export * from './users';
export * from './fundraising';
export * from './schema';
export * from './views';
export * from './formulas';
export * from './history';
export * from './imports';
export * from './backups';
export * from './search';
export * from './automations';
export * from './api-tokens';
export * from './reminders';
export * from './dashboard';
export * from './feature-requests';
