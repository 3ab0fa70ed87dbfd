import type { ChangeFeatureRequestBody, FileFeatureRequestBody } from '@crm/contracts';
import {
  decideChangeFeatureRequest,
  decideFileFeatureRequest,
  decideVote,
  type FeatureRequestState,
  notFound,
} from '@crm/domain';
import { newId } from '../../infrastructure/clock';
import type { CommandExecutor, CommandMeta } from '../../infrastructure/commands/command-executor';
import { type FeatureRequestsRepository } from './feature-requests.repository';

/** Command handlers of the feature requests' streams: load, decide, append. */
export class FeatureRequestCommands {
  constructor(
    private readonly executor: CommandExecutor,
    readonly repo: FeatureRequestsRepository,
  ) {}

  /** Files a request; answers its id. */
  file(body: FileFeatureRequestBody, meta: CommandMeta): Promise<string> {
    const id = newId('frq');
    return this.executor.execute(meta, async (scope) => {
      await scope.append(decideFileFeatureRequest({ request_id: id, ...body }));
      return id;
    });
  }

  change(id: string, body: ChangeFeatureRequestBody, meta: CommandMeta): Promise<void> {
    return this.executor.execute(meta, async (scope) => {
      await scope.append(decideChangeFeatureRequest(body, this.load(id), meta.actor));
    });
  }

  vote(id: string, vote: boolean, meta: CommandMeta): Promise<void> {
    return this.executor.execute(meta, async (scope) => {
      await scope.append(decideVote(this.load(id), meta.actor, vote));
    });
  }

  private load(id: string): FeatureRequestState {
    const request = this.repo.request(id);
    if (!request) throw notFound(`no feature request ${id}`, { field: 'id', given: id });
    return request;
  }
}
