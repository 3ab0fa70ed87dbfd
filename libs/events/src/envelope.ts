/** Where a change came from; shown in history and the activity feed. */
export type EventSource =
  'grid' | 'api' | 'import' | 'automation' | 'restore' | 'system' | 'email' | 'migration';

export const EVENT_SOURCES: readonly EventSource[] = [
  'grid',
  'api',
  'import',
  'automation',
  'restore',
  'system',
  'email',
  'migration',
];

export interface EventMetadata {
  actor_id: string;
  actor_name?: string;
  correlation_id: string;
  causation_id?: string | null;
  source: EventSource;
  /** The API token the change was made with (its id and name, never its secret). */
  token_id?: string;
  token_name?: string;
}

/** An event as a decider produces it: not yet positioned in the log. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
  schema_version?: number;
}

/** An event as the log stores it. */
export interface RecordedEvent<TType extends string = string, TData = unknown> {
  position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: TType;
  schema_version: number;
  data: TData;
  metadata: EventMetadata;
  recorded_at: string;
  idempotency_key: string | null;
  hash: string;
}
