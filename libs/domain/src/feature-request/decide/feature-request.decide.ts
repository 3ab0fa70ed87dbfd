import {
  FEATURE_REQUEST_STATUSES,
  type FeatureRequestEditedData,
  type FeatureRequestStatus,
  featureRequestStreams,
} from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { DomainError, invalid } from '../../errors';
import { type FeatureRequestState } from '../feature-request.state';

export const FEATURE_REQUEST_TITLE_MAX = 200;
export const FEATURE_REQUEST_BODY_MAX = 20_000;

/** Who asks: any member files, votes and edits their own; admins also set the status. */
export interface RequestActor {
  id: string;
  role: 'admin' | 'member' | 'system';
}

export interface FileFeatureRequest {
  request_id: string;
  title: unknown;
  body?: unknown;
}

export interface ChangeFeatureRequest {
  title?: unknown;
  body?: unknown;
  status?: unknown;
}

const chars = (s: string) => [...s].length;

function title(value: unknown): string {
  const t = typeof value === 'string' ? value.trim() : '';
  if (t === '') throw invalid('title must not be empty', { field: 'title' }, 'missing_value');
  if (chars(t) > FEATURE_REQUEST_TITLE_MAX)
    throw invalid(
      `title must be at most ${FEATURE_REQUEST_TITLE_MAX} characters`,
      { field: 'title', limit: FEATURE_REQUEST_TITLE_MAX },
      'too_large',
    );
  return t;
}

function body(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string')
    throw invalid('body must be text', { field: 'body', given: value }, 'invalid_value');
  if (chars(value) > FEATURE_REQUEST_BODY_MAX)
    throw invalid(
      `body must be at most ${FEATURE_REQUEST_BODY_MAX.toLocaleString('en')} characters`,
      { field: 'body', limit: FEATURE_REQUEST_BODY_MAX },
      'too_large',
    );
  return value;
}

function status(value: unknown): FeatureRequestStatus {
  if (!FEATURE_REQUEST_STATUSES.includes(value as FeatureRequestStatus))
    throw invalid(
      `status must be one of ${FEATURE_REQUEST_STATUSES.join(', ')}`,
      { field: 'status', given: value },
      'invalid_value',
    );
  return value as FeatureRequestStatus;
}

const forbidden = (message: string, field: string) =>
  new DomainError('forbidden', message, { field });

export function decideFileFeatureRequest(cmd: FileFeatureRequest): Decision {
  const b = new DecisionBuilder();
  b.emitNew(featureRequestStreams.request(cmd.request_id), {
    type: 'FeatureRequestFiled',
    data: { request_id: cmd.request_id, title: title(cmd.title), body: body(cmd.body) },
  });
  return b.build();
}

/**
 * A new title or body (its author or an admin) and a new status (admins only). Every part is checked
 * before anything is decided; what is unchanged appends nothing.
 */
export function decideChangeFeatureRequest(
  cmd: ChangeFeatureRequest,
  request: FeatureRequestState,
  actor: RequestActor,
): Decision {
  const changes: FeatureRequestEditedData['changes'] = [];
  const next = {
    title: cmd.title === undefined ? undefined : title(cmd.title),
    body: cmd.body === undefined ? undefined : body(cmd.body),
  };
  const to = cmd.status === undefined ? undefined : status(cmd.status);
  const admin = actor.role !== 'member';
  if (to !== undefined && !admin) throw forbidden('only an admin sets the status', 'status');
  for (const field of ['title', 'body'] as const) {
    const value = next[field];
    if (value === undefined || value === request[field]) continue;
    if (!admin && actor.id !== request.created_by)
      throw forbidden(`only its author or an admin changes a request's ${field}`, field);
    changes.push({ field, from: request[field], to: value });
  }
  const b = new DecisionBuilder();
  const stream = featureRequestStreams.request(request.id);
  if (changes.length)
    b.emit(stream, request.version, {
      type: 'FeatureRequestEdited',
      data: { request_id: request.id, changes },
    });
  if (to !== undefined && to !== request.status)
    b.emit(stream, request.version, {
      type: 'FeatureRequestStatusChanged',
      data: {
        request_id: request.id,
        title: next.title ?? request.title,
        from: request.status,
        to,
      },
    });
  return b.build();
}

/** One vote a person: voting again, or taking back a vote never given, appends nothing. */
export function decideVote(
  request: FeatureRequestState,
  actor: RequestActor,
  vote: boolean,
): Decision {
  const b = new DecisionBuilder();
  if (request.voters.includes(actor.id) === vote) return b.build();
  b.emit(featureRequestStreams.request(request.id), request.version, {
    type: vote ? 'FeatureRequestVoted' : 'FeatureRequestUnvoted',
    data: { request_id: request.id, user_id: actor.id },
  });
  return b.build();
}
