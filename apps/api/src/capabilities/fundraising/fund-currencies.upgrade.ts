import { Logger } from '@nestjs/common';
import { decideRetypeField, fundCurrencyRetypes } from '@crm/domain';
import {
  type FieldAddedData,
  type FieldDefinition,
  type FieldRetypedData,
  type RecordedEvent,
  streams,
  type TableCreatedData,
} from '@crm/events';
import { newId } from '../../infrastructure/clock';
import { type SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import { type CommandMeta, type FundraisingCommands } from './fundraising.commands';
import { type FundraisingRepository } from './fundraising.repository';

const logger = new Logger('FundCurrencies');

/** The options a field had as this event of its table's stream gave them, if it gave them. */
function optionsGiven(e: RecordedEvent, fieldId: string): FieldDefinition['options'] | undefined {
  switch (e.type) {
    case 'TableCreated':
      return (e.data as TableCreatedData).fields.find((f) => f.id === fieldId)?.options;
    case 'FieldAdded': {
      const { field } = e.data as FieldAddedData;
      return field.id === fieldId ? field.options : undefined;
    }
    case 'FieldRetyped': {
      const d = e.data as FieldRetypedData;
      return d.field_id === fieldId ? d.to.options : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The upgrade of a base made before amounts followed the fund's currency, at start: a commitment's
 * Amount takes its fund's, a fund's Target size the fund's own Currency, each changed as a person
 * changes a field's settings (a retype to the same type with `currency_from`), one batch by the
 * system with source `migration`, so history and the activity feed show it. Amounts stay as stored;
 * only the currency they read in changes. A field whose people once had it follow a currency and
 * took that away is left as they left it, so this runs at most once per field.
 */
export async function upgradeFundCurrencies(
  commands: FundraisingCommands,
  repo: FundraisingRepository,
  store: SqliteEventStore,
  meta: CommandMeta = { actor: SYSTEM_ACTOR, source: 'migration', correlation_id: newId('cor') },
): Promise<number> {
  const hadCurrencyFrom = (tableId: string, fieldId: string) =>
    store.readStream(streams.table(tableId)).some((e) => !!optionsGiven(e, fieldId)?.currency_from);
  const changed = await commands.executeAll(meta, async () => {
    const retypes = fundCurrencyRetypes(repo.tables(), hadCurrencyFrom);
    for (const r of retypes) {
      const table = repo.tables().find((t) => t.fields.some((f) => f.id === r.field_id));
      await commands.decide(meta, (ctx) => decideRetypeField(r, ctx), {
        recordsOf: table ? [table.id] : [],
      });
    }
    return retypes.length;
  });
  if (changed)
    logger.log(`${changed} amount field(s) now follow their fund's currency (Funds › Currency)`);
  return changed;
}
