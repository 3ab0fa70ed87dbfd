import { ANY_VERSION, streams, ViewConfig } from '@crm/events';
import { DecideContext, Decision, DecisionBuilder } from '../../base/decide-context';
import { invalid, notFound } from '../../errors';
import { requireTable } from '../../table/table.lookup';
import { checkId, checkName } from '../../table/table.rules';

export interface SaveView {
  view_id: string;
  table_id: string;
  name: string;
  /** Stored as given; filter and sort semantics belong to the views capability. */
  config: ViewConfig;
}

export interface DeleteView {
  view_id: string;
}

const MAX_CONFIG_CHARS = 200_000;

export function decideSaveView(cmd: SaveView, ctx: DecideContext): Decision {
  const id = checkId('view id', cmd.view_id);
  const table = requireTable(ctx, cmd.table_id);
  const name = checkName('view name', cmd.name);
  if (cmd.config === null || typeof cmd.config !== 'object' || Array.isArray(cmd.config)) throw invalid('view config must be an object', { field: 'config' });
  if (JSON.stringify(cmd.config).length > MAX_CONFIG_CHARS) throw invalid(`view config is larger than ${MAX_CONFIG_CHARS} characters`, { field: 'config' });
  const existing = ctx.view(id);
  if (existing && existing.table_id !== table.id) throw invalid(`view ${id} belongs to another table`, { field: 'table_id' });
  const b = new DecisionBuilder();
  if (existing && existing.name === name && JSON.stringify(existing.config) === JSON.stringify(cmd.config)) return b.build();
  // A view id seen before may have been deleted: its stream goes on, so a new save skips the version check.
  b.emit(streams.view(id), existing?.version ?? ANY_VERSION, {
    type: 'ViewSaved',
    data: { view_id: id, table_id: table.id, name, config: cmd.config, previous: existing ? { name: existing.name, config: existing.config } : null },
  });
  return b.build();
}

export function decideDeleteView(cmd: DeleteView, ctx: DecideContext): Decision {
  const existing = ctx.view(cmd.view_id);
  if (!existing) throw notFound(`view ${String(cmd.view_id)} does not exist`, { field: 'view_id' });
  const b = new DecisionBuilder();
  b.emit(streams.view(existing.id), existing.version, { type: 'ViewDeleted', data: { view_id: existing.id, table_id: existing.table_id, previous: { name: existing.name, config: existing.config } } });
  return b.build();
}
