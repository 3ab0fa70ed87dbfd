import { decideCreateApiToken, decideRevokeApiToken } from '@crm/domain';
import type { ApiTokenView, CreateApiTokenRequest, CreatedApiToken } from '@crm/contracts';
import { newId } from '../../infrastructure/clock';
import type { CommandExecutor, CommandMeta } from '../../infrastructure/commands/command-executor';
import { type ApiTokensRepository } from './api-tokens.repository';
import { apiTokenHmac, newApiTokenSecret } from './api-token-secret';

/**
 * Command handlers for API tokens. Each runs through the executor in one transaction: decide,
 * append, project, and (for a new token) write its keyed hash beside the event, so that both or
 * neither are stored.
 */
export class ApiTokenCommands {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repo: ApiTokensRepository,
    private readonly hashKey: Buffer,
  ) {}

  /** The token's text is in the answer and nowhere else. */
  create(input: CreateApiTokenRequest, meta: CommandMeta): Promise<CreatedApiToken> {
    const token = newApiTokenSecret();
    const hmac = apiTokenHmac(this.hashKey, token);
    return this.executor.execute(meta, async ({ at, append }) => {
      const tokenId = newId('tok');
      await append(
        decideCreateApiToken(
          {
            token_id: tokenId,
            user_id: meta.actor.id,
            name: input.name,
            scope: input.scope,
            expires_at: input.expires_at ?? null,
            at,
          },
          this.repo,
        ),
      );
      this.repo.saveSecret(tokenId, hmac);
      return { ...this.repo.view(tokenId, at)!, token };
    });
  }

  /** `own`: only the actor's own tokens (an admin on their own page); `any`: an admin's. */
  revoke(tokenId: string, whose: 'own' | 'any', meta: CommandMeta): Promise<ApiTokenView> {
    return this.executor.execute(meta, async ({ at, append }) => {
      const by = { id: meta.actor.id, role: whose === 'own' ? 'member' : meta.actor.role };
      await append(decideRevokeApiToken({ token_id: tokenId, by }, this.repo));
      return this.repo.view(tokenId, at)!;
    });
  }
}
