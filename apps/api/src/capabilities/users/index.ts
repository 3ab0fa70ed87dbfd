/** What other capabilities may use of accounts. */
export { UsersStoreModule } from './users-store.module';
export { UsersRepository } from './users.repository';
export { AccountCommands, type AccountMeta } from './account.commands';
export { AccountsService, SETUP_TOKEN_TTL_HOURS } from './accounts.service';
export { publicUser } from './user.views';
