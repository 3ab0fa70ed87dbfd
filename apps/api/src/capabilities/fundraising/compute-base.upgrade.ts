import { Logger } from '@nestjs/common';
import { streams } from '@crm/events';
import {
  type BaseComputation,
  COMMITTED_ROLE,
  type ComputeBase,
  decideComputeBase,
  DomainError,
  TABLE_ROLES,
} from '@crm/domain';
import { newId } from '../../infrastructure/clock';
import { type SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import { type CommandMeta, type FundraisingCommands } from './fundraising.commands';
import { type FundraisingRepository } from './fundraising.repository';

const logger = new Logger('ComputedBase');

/** New field ids for the computed default base (see compute-base.decide.ts). */
export const computeBaseIds = (): ComputeBase => ({
  ids: {
    typed: newId('fld'),
    count: newId('fld'),
    fund_committed: newId('fld'),
    fund_share: newId('fld'),
    stage: newId('fld'),
  },
});

/**
 * Whether the base is one from before the default base computed: its investors' "Committed amount"
 * is a typed currency field that has been one since its table was made (never retyped). The upgrade
 * retypes it, so this is true at most once; a base whose people made it typed again is left alone.
 */
function pending(repo: FundraisingRepository, store: SqliteEventStore): boolean {
  const investors = repo.tableByRole(TABLE_ROLES.investors);
  const committed = investors?.fields.find((f) => f.role === COMMITTED_ROLE);
  if (!investors || committed?.type !== 'currency') return false;
  return !store
    .readStream(streams.table(investors.id))
    .some(
      (e) =>
        e.type === 'FieldRetyped' && (e.data as { field_id?: string }).field_id === committed.id,
    );
}

/**
 * The upgrade of a base made before the default base computed, at start (after links got their
 * other side, which the rollups read): one batch by the system with source `migration`, appended,
 * never editing an event. Its report is the batch itself (history and the activity feed show each
 * typed amount moved to "Committed (typed)"), the retype's `unconverted` (the investors whose typed
 * amount differs from what their commitments add up to) and the server log, which names them with
 * both amounts.
 */
export async function upgradeComputedBase(
  commands: FundraisingCommands,
  repo: FundraisingRepository,
  store: SqliteEventStore,
  meta: CommandMeta = { actor: SYSTEM_ACTOR, source: 'migration', correlation_id: newId('cor') },
): Promise<BaseComputation | null> {
  let outcome: BaseComputation | null;
  try {
    outcome = await commands.executeAll(meta, async () => {
      if (!pending(repo, store)) return null;
      const { decision } = await commands.decide(meta, (ctx) =>
        decideComputeBase(computeBaseIds(), ctx),
      );
      return decision as BaseComputation;
    });
  } catch (e) {
    // A base its people changed past what the upgrade expects still starts; nothing was appended,
    // and the next start tries again.
    if (!(e instanceof DomainError)) throw e;
    logger.error(`The default base could not be made to compute: ${e.message}`);
    return null;
  }
  if (outcome) report(outcome);
  return outcome;
}

function report(outcome: BaseComputation): void {
  logger.log(
    `The default base computes: "Committed amount" is a rollup of the commitments; ${outcome.kept} typed amount(s) kept in "Committed (typed)"`,
  );
  if (!outcome.differences.length) return;
  const shown = outcome.differences
    .slice(0, 50)
    .map(
      (d) =>
        `${JSON.stringify(d.name ?? '')} (${d.record_id}): typed ${d.typed}, commitments ${d.computed}`,
    )
    .join('; ');
  logger.warn(
    `${outcome.differences.length} typed committed amount(s) differ from the commitments: ${shown}${outcome.differences.length > 50 ? '; …' : ''}`,
  );
}
