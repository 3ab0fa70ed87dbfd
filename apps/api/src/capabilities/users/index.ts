// The users capability's public surface: what other capabilities may import.
export { AccountsService } from './accounts.service';
export { publicUser } from './user.views';
export { UsersModule } from './users.module';
