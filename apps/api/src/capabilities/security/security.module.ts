import { UsersStoreModule } from '../users/users-store.module';
import { Global, Module } from '@nestjs/common';
import { SecurityCheckRegistry } from './security-checks';
import { SecurityController } from './security.controller';
import { SecurityStatus } from './security-status';

@Global()
@Module({
  imports: [UsersStoreModule],
  controllers: [SecurityController],
  providers: [SecurityStatus, SecurityCheckRegistry],
  exports: [SecurityCheckRegistry],
})
export class SecurityModule {}
