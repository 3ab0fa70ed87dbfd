import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { ApiTokenCommands } from './api-token.commands';
import { apiTokenHashKey } from './api-token-secret';
import { ApiTokenVerifier } from './api-token.verifier';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensStoreModule } from './api-tokens-store.module';

const API_TOKEN_HASH_KEY = Symbol('API_TOKEN_HASH_KEY');

/** What needs the tokens' hash key: making tokens and checking them (for the auth guard). */
@Module({
  imports: [ApiTokensStoreModule],
  providers: [
    {
      provide: API_TOKEN_HASH_KEY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.secretKey)
          throw new Error('no secret key: createApp must resolve one before the module starts');
        return apiTokenHashKey(config.secretKey);
      },
    },
    {
      provide: ApiTokenVerifier,
      inject: [ApiTokensRepository, UnitOfWork, API_TOKEN_HASH_KEY],
      useFactory: (repo: ApiTokensRepository, uow: UnitOfWork, key: Buffer) =>
        new ApiTokenVerifier(repo, uow, key),
    },
    {
      provide: ApiTokenCommands,
      inject: [CommandExecutor, ApiTokensRepository, API_TOKEN_HASH_KEY],
      useFactory: (executor: CommandExecutor, repo: ApiTokensRepository, key: Buffer) =>
        new ApiTokenCommands(executor, repo, key),
    },
  ],
  exports: [ApiTokenVerifier, ApiTokenCommands, ApiTokensStoreModule],
})
export class ApiTokenAuthModule {}
