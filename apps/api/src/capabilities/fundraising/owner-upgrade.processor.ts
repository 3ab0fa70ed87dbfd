import { Logger } from '@nestjs/common';
import { type RecordedEvent, streams } from '@crm/events';
import { decideConvertOwner, textOwnerField } from '@crm/domain';
import { newId } from '../../infrastructure/clock';
import type { Processor, ProcessorContext } from '../../infrastructure/processing/processor';
import { SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import { type SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { type UsersRepository } from '../users';
import { type FundraisingCommands } from './fundraising.commands';

/**
 * The upgrade of the investors' text "Owner" to a people field (see convert-owner.decide.ts), run
 * once an account exists: on a base from before people fields, at the first start (this processor
 * reads the log from its beginning, so it meets the accounts made then); on a base whose owners
 * were typed before anyone had an account, when the first account is made. Its events are one
 * batch by the system with source `migration`, so history and the activity feed show it, and the
 * owner texts that name nobody are listed in the server log. It runs at most once per base: only
 * on an Owner that has been text since its table was made (never retyped), so it neither repeats
 * nor overrides someone who later chose to make the Owner text again.
 */
export class OwnerUpgradeProcessor implements Processor {
  readonly name = 'owner-field-upgrade';
  readonly types = ['UserCreated', 'UserJoined'] as const;
  private readonly logger = new Logger('OwnerUpgrade');

  constructor(
    private readonly commands: FundraisingCommands,
    private readonly users: UsersRepository,
    private readonly store: SqliteEventStore,
  ) {}

  /** The table of a text Owner from before people fields (text since its table was made), if any. */
  private pending(): string | null {
    const found = textOwnerField(this.commands.ctx);
    if (!found) return null;
    const retyped = this.store
      .readStream(streams.table(found.table.id))
      .some(
        (e) =>
          e.type === 'FieldRetyped' &&
          (e.data as { field_id?: string }).field_id === found.field.id,
      );
    return retyped ? null : found.table.id;
  }

  async handle(_event: RecordedEvent, ctx: ProcessorContext): Promise<void> {
    const tableId = this.pending();
    if (tableId === null) return;
    const outcome = await ctx.execute(
      { actor: SYSTEM_ACTOR, source: 'migration' },
      async (scope) => {
        const team = this.users
          .users()
          .map((u) => ({ id: u.id, name: u.name, email: u.email, disabled: u.disabled }));
        // The investors' records are what the conversion reads: loaded before it decides.
        const decision = decideConvertOwner(
          { text_field_id: newId('fld'), team },
          await this.commands.load({ recordsOf: [tableId] }),
        );
        const appended = await scope.append(decision);
        return { appended, matched: decision.matched, unmatched: decision.unmatched };
      },
    );
    if (!outcome.appended) return;
    this.logger.log(`Owner is now a people field: ${outcome.matched} owner(s) matched a member`);
    if (outcome.unmatched.length)
      this.logger.warn(
        `${outcome.unmatched.length} owner text(s) name nobody in the team and are kept in "Owner (text)": ${outcome.unmatched
          .slice(0, 50)
          .map((u) => `${JSON.stringify(u.value)} (${u.record_id})`)
          .join(', ')}${outcome.unmatched.length > 50 ? ', …' : ''}`,
      );
  }
}
