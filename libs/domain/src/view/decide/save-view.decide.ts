import { ANY_VERSION, streams, type ViewConfig } from '@crm/events';
import { type DecideContext, type Decision, DecisionBuilder } from '../../base/decide-context';
import { DomainError, invalid, notFound } from '../../errors';
import { checkViewConfigShape, validateViewConfig } from '../../filter/validate-view-config';
import { requireTable } from '../../table/table.lookup';
import { checkId, checkName } from '../../table/table.rules';
import {
  accessSettings,
  requireEditableView,
  requireVisibleView,
  SYSTEM_VIEW_ACTOR,
  type ViewActor,
} from '../view.access';

export interface SaveView {
  view_id: string;
  table_id: string;
  name: string;
  /**
   * The view's settings: filters, sorts and layout are checked against the table's fields (see
   * validateViewConfig); a person's save may hold only known settings (or keys the view already had).
   */
  config: ViewConfig;
  /** Who saves it; without one, the system (which may do anything). */
  actor?: ViewActor;
}

export interface DeleteView {
  view_id: string;
  actor?: ViewActor;
}

/** Settings whose absence means "off"; left out of the stored config when off, so old views keep their shape. */
function withAccess(config: ViewConfig, access: ReturnType<typeof accessSettings>): ViewConfig {
  const out: ViewConfig = { ...config };
  delete out.personal;
  delete out.owner_id;
  delete out.locked;
  delete out.default;
  if (access.default) out.default = true;
  if (access.personal) {
    out.personal = true;
    out.owner_id = access.owner_id;
  }
  if (access.locked) out.locked = true;
  return out;
}

const MAX_CONFIG_CHARS = 200_000;

export function decideSaveView(cmd: SaveView, ctx: DecideContext): Decision {
  const id = checkId('view id', cmd.view_id);
  const table = requireTable(ctx, cmd.table_id);
  const name = checkName('view name', cmd.name);
  if (cmd.config === null || typeof cmd.config !== 'object' || Array.isArray(cmd.config))
    throw invalid('view config must be an object', { field: 'config', reason: 'not_an_object' });
  const actor = cmd.actor ?? SYSTEM_VIEW_ACTOR;
  const found = ctx.view(id);
  const existing = found && cmd.actor ? requireVisibleView(found, id, actor) : found;
  // The shape first: the size check below walks the whole object.
  checkViewConfigShape(cmd.config, existing?.config, { knownKeysOnly: actor.role !== 'system' });
  if (JSON.stringify(cmd.config).length > MAX_CONFIG_CHARS)
    throw invalid(`view config is larger than ${MAX_CONFIG_CHARS} characters`, {
      field: 'config',
      reason: 'too_large',
    });
  if (existing && existing.table_id !== table.id)
    throw invalid(`view ${id} belongs to another table`, { field: 'table_id' });
  const config = withAccess(
    validateViewConfig(cmd.config, table.fields, existing?.config),
    accessSettings(cmd.config, existing, actor),
  );
  const b = new DecisionBuilder();
  // Saving a view as it is changes nothing, so it is no one's to refuse (a whole document sent back unchanged).
  if (
    existing &&
    existing.name === name &&
    JSON.stringify(existing.config) === JSON.stringify(config)
  )
    return b.build();
  if (existing) requireEditableView(existing, actor);
  // A view id seen before may have been deleted: its stream goes on, so a new save skips the version check.
  b.emit(streams.view(id), existing?.version ?? ANY_VERSION, {
    type: 'ViewSaved',
    data: {
      view_id: id,
      table_id: table.id,
      name,
      config,
      previous: existing ? { name: existing.name, config: existing.config } : null,
    },
  });
  return b.build();
}

export function decideDeleteView(cmd: DeleteView, ctx: DecideContext): Decision {
  const found = ctx.view(cmd.view_id);
  if (!found) throw notFound(`view ${String(cmd.view_id)} does not exist`, { field: 'view_id' });
  const existing = cmd.actor ? requireVisibleView(found, cmd.view_id, cmd.actor) : found;
  if (cmd.actor) {
    requireEditableView(existing, cmd.actor);
    if (existing.config.default === true && cmd.actor.role !== 'system')
      throw new DomainError(
        'illegal_state',
        `"${existing.name}" is the table's default view and cannot be deleted`,
        { field: 'view_id' },
      );
  }
  const b = new DecisionBuilder();
  b.emit(streams.view(existing.id), existing.version, {
    type: 'ViewDeleted',
    data: {
      view_id: existing.id,
      table_id: existing.table_id,
      previous: { name: existing.name, config: existing.config },
    },
  });
  return b.build();
}
