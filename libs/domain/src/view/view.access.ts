import { type ViewConfig } from '@crm/events';
import { DomainError, notFound } from '../errors';
import { type ViewState } from './view.state';

/** Who is changing or reading a view. The system (start-up, imports, restore) may do anything. */
export interface ViewActor {
  id: string;
  role: 'admin' | 'member' | 'system' | string;
}

export const SYSTEM_VIEW_ACTOR: ViewActor = { id: 'system', role: 'system' };

export const isPersonalView = (config: ViewConfig | undefined | null): boolean =>
  config?.personal === true;
export const viewOwner = (config: ViewConfig | undefined | null): string | null =>
  typeof config?.owner_id === 'string' ? config.owner_id : null;

/** Personal views are their owner's alone; everyone else is told they do not exist. */
export function canSeeView(view: Pick<ViewState, 'config'>, actor: ViewActor): boolean {
  return (
    actor.role === 'system' || !isPersonalView(view.config) || viewOwner(view.config) === actor.id
  );
}

/**
 * Whether an event may be shown to this person: a ViewSaved or ViewDeleted of someone else's personal
 * view may not (the live stream and the activity feed agree on this); every other event passes here.
 */
export function canSeeViewEvent(
  event: { type: string; data: unknown },
  viewer: ViewActor,
): boolean {
  if (event.type !== 'ViewSaved' && event.type !== 'ViewDeleted') return true;
  const d = event.data as { config?: ViewConfig; previous?: { config?: ViewConfig } | null };
  return canSeeView(
    { config: (event.type === 'ViewSaved' ? d.config : d.previous?.config) ?? {} },
    viewer,
  );
}

export function requireVisibleView(
  view: ViewState | undefined,
  viewId: string,
  actor: ViewActor,
): ViewState {
  if (!view || !canSeeView(view, actor))
    throw notFound(`view ${viewId} does not exist`, { field: 'view_id', given: viewId });
  return view;
}

const forbidden = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError('forbidden', message, details);

/** A locked shared view changes only by an admin's hand. */
export function requireEditableView(view: ViewState, actor: ViewActor): void {
  if (view.config.locked === true && actor.role !== 'admin' && actor.role !== 'system') {
    throw forbidden(`view "${view.name}" is locked; only an admin can change it`, {
      field: 'view_id',
      view_id: view.id,
    });
  }
}

/**
 * The access-related settings of a view being saved, decided from what it was and who saves it:
 * the owner of a personal view never changes; only admins lock and unlock; a personal view can be
 * shared by its owner, but a shared view does not become someone's personal view; whether a view is
 * the table's default is the system's to say.
 */
export function accessSettings(
  requested: ViewConfig,
  existing: ViewState | undefined,
  actor: ViewActor,
): Pick<ViewConfig, 'personal' | 'owner_id' | 'locked' | 'default'> {
  const system = actor.role === 'system';
  const admin = system || actor.role === 'admin';
  const wasPersonal = existing ? isPersonalView(existing.config) : false;
  const wantsPersonal =
    requested.personal === undefined ? wasPersonal : requested.personal === true;
  if (existing && !wasPersonal && wantsPersonal && !system) {
    throw new DomainError(
      'validation',
      'a shared view cannot become personal; duplicate it as a personal view instead',
      { field: 'personal' },
    );
  }
  const wasLocked = existing?.config.locked === true;
  const wantsLocked = requested.locked === undefined ? wasLocked : requested.locked === true;
  if (wantsLocked !== wasLocked && !admin)
    throw forbidden('only an admin can lock or unlock a view', { field: 'locked' });
  if (wantsLocked && wantsPersonal)
    throw new DomainError('validation', 'a personal view cannot be locked; only shared views are', {
      field: 'locked',
    });
  const owner = wantsPersonal
    ? wasPersonal
      ? viewOwner(existing!.config)
      : system && typeof requested.owner_id === 'string'
        ? requested.owner_id
        : actor.id
    : null;
  const isDefault = system ? requested.default === true : existing?.config.default === true;
  return { personal: wantsPersonal, owner_id: owner, locked: wantsLocked, default: isDefault };
}
