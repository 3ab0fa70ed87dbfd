import type {
  ActorsList,
  PeopleList,
  AddFieldRequest,
  AddFieldResult,
  ChangeInput,
  ChangesResult,
  CreateViewRequest,
  SavedViewResult,
  StateJson,
  UpdateFieldRequest,
  UpdateFieldResult,
  VersionResult,
  ViewChanges,
  WebConfig,
} from '@crm/contracts';
import { get, patch, post, del, type RequestOptions } from '../../../app/http';

export type {
  ChangesResult,
  Conflict,
  LiveEvent,
  RecordJson,
  StateJson,
  TableJson,
  ViewJson,
} from '@crm/contracts';

/**
 * A change as the grid sends it: always in full, since the grid names the records it creates (ids
 * are made in the browser, so a retried create is the same record) and states what each cell held.
 */
export type ChangeOp = Required<ChangeInput>;

export const fundraisingApi = {
  state: (options?: RequestOptions) => get<StateJson>('/api/fundraising/state', options),
  /** Every table's schema, the records of the tables named (by role or id) only. */
  stateWithRecordsOf: (tables: string[], options?: RequestOptions) =>
    get<StateJson>(
      `/api/fundraising/state?records=${encodeURIComponent(tables.join(','))}`,
      options,
    ),
  changes: (changes: ChangeOp[], idempotencyKey: string) =>
    post<ChangesResult>(
      '/api/fundraising/changes',
      { changes },
      { headers: { 'Idempotency-Key': idempotencyKey } },
    ),
  actors: () => get<ActorsList>('/api/fundraising/actors'),
  people: () => get<PeopleList>('/api/fundraising/people'),
  webConfig: () => get<WebConfig>('/api/config/web'),
  addField: (tableId: string, body: AddFieldRequest) =>
    post<AddFieldResult>(`/api/fundraising/tables/${encodeURIComponent(tableId)}/fields`, body),
  updateField: (fieldId: string, body: UpdateFieldRequest) =>
    patch<UpdateFieldResult>(`/api/fundraising/fields/${encodeURIComponent(fieldId)}`, body),
  /** `keep_inverse_as_text`: a two-way link's other side stays as text (or goes too); `cascade`: remove even though lookups or rollups read it. */
  removeField: (
    fieldId: string,
    opts: { keep_inverse_as_text?: boolean; cascade?: boolean } = {},
  ) =>
    del<VersionResult>(
      `/api/fundraising/fields/${encodeURIComponent(fieldId)}${removeQuery(opts)}`,
    ),
  /**
   * The columns' order and widths alone, merged into the view as the server has it: sending the
   * whole view from this screen would put back settings changed since it was read (a freeze, a
   * teammate's filter).
   */
  saveLayout: (viewId: string, body: Pick<ViewChanges, 'field_order' | 'field_widths'>) =>
    patch<SavedViewResult>(`/api/fundraising/views/${encodeURIComponent(viewId)}`, body),
  createView: (body: CreateViewRequest) => post<SavedViewResult>('/api/fundraising/views', body),
};

function removeQuery(opts: Record<string, boolean | undefined>): string {
  const q = Object.entries(opts).filter(([, v]) => v !== undefined);
  return q.length ? `?${q.map(([k, v]) => `${k}=${String(v)}`).join('&')}` : '';
}
