import {
  type CellChange,
  type CellValues,
  type FieldDefinition,
  type FundraisingEventMap,
  type ViewConfig,
} from '@crm/events';
import { AT, type GivenEvent } from './projector-harness';

/** Small builders of fundraising events for given-events specs: stream ids and shapes as the deciders write them. */

type When = { at?: string; by?: string };

const event = <K extends keyof FundraisingEventMap>(
  stream_id: string,
  type: K,
  data: FundraisingEventMap[K],
  when: When = {},
): GivenEvent => ({ stream_id, type, data, at: when.at ?? AT, by: when.by ?? 'usr_ada' });

export const field = (
  id: string,
  name: string,
  type = 'text',
  role: string | null = null,
  options: Record<string, unknown> = {},
): FieldDefinition => ({ id, name, type, options, role });

export const tableCreated = (
  table_id: string,
  name: string,
  role: string | null,
  fields: FieldDefinition[],
  when?: When,
) =>
  event(
    `table-${table_id}`,
    'TableCreated',
    { table_id, name, role, primary_field_id: fields[0].id, fields },
    when,
  );

export const tableRenamed = (table_id: string, from: string, to: string, when?: When) =>
  event(`table-${table_id}`, 'TableRenamed', { table_id, from, to }, when);

export const fieldAdded = (table_id: string, f: FieldDefinition, when?: When) =>
  event(`table-${table_id}`, 'FieldAdded', { table_id, field: f }, when);

export const fieldRenamed = (
  table_id: string,
  field_id: string,
  from: string,
  to: string,
  when?: When,
) => event(`table-${table_id}`, 'FieldRenamed', { table_id, field_id, from, to }, when);

export const fieldRetyped = (
  table_id: string,
  field_id: string,
  from: { type: string; options?: Record<string, unknown> },
  to: { type: string; options?: Record<string, unknown> },
  when?: When,
) =>
  event(
    `table-${table_id}`,
    'FieldRetyped',
    {
      table_id,
      field_id,
      from: { type: from.type, options: from.options ?? {} },
      to: { type: to.type, options: to.options ?? {} },
      unconverted: [],
    },
    when,
  );

export const fieldRemoved = (
  table_id: string,
  f: FieldDefinition,
  values: CellValues,
  when?: When,
) => event(`table-${table_id}`, 'FieldRemoved', { table_id, field: f, values }, when);

export const recordCreated = (
  table_id: string,
  record_id: string,
  values: CellValues,
  when?: When,
) => event(`record-${record_id}`, 'RecordCreated', { table_id, record_id, values }, when);

export const recordUpdated = (
  table_id: string,
  record_id: string,
  changes: CellChange[],
  when?: When,
) => event(`record-${record_id}`, 'RecordUpdated', { table_id, record_id, changes }, when);

export const recordArchived = (table_id: string, record_id: string, when?: When) =>
  event(`record-${record_id}`, 'RecordArchived', { table_id, record_id }, when);

export const recordUnarchived = (table_id: string, record_id: string, when?: When) =>
  event(`record-${record_id}`, 'RecordUnarchived', { table_id, record_id }, when);

export const viewSaved = (
  view_id: string,
  table_id: string,
  name: string,
  config: ViewConfig,
  previous: { name: string; config: ViewConfig } | null,
  when?: When,
) => event(`view-${view_id}`, 'ViewSaved', { view_id, table_id, name, config, previous }, when);

export const viewDeleted = (
  view_id: string,
  table_id: string,
  previous: { name: string; config: ViewConfig },
  when?: When,
) => event(`view-${view_id}`, 'ViewDeleted', { view_id, table_id, previous }, when);
