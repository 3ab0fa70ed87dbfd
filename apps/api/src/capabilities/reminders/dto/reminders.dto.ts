import { Allow } from 'class-validator';

/**
 * Bodies as clients send them. Only which keys may appear is checked here (others are refused by the
 * global pipe, naming them); every value is the domain's to check, a 400 naming the field and a reason.
 */
export class CreateReminderDto {
  @Allow()
  record_id?: unknown;

  @Allow()
  title?: unknown;

  @Allow()
  due_date?: unknown;

  @Allow()
  assignee_id?: unknown;

  @Allow()
  note?: unknown;
}

export class ChangeReminderDto {
  @Allow()
  title?: unknown;

  @Allow()
  due_date?: unknown;

  @Allow()
  assignee_id?: unknown;

  @Allow()
  note?: unknown;
}

export class SnoozeReminderDto {
  @Allow()
  until?: unknown;
}

export class LogCommunicationDto {
  @Allow()
  record_id?: unknown;

  @Allow()
  investor_name?: unknown;

  @Allow()
  contact_id?: unknown;

  @Allow()
  kind?: unknown;

  @Allow()
  occurred_at?: unknown;

  @Allow()
  summary?: unknown;

  @Allow()
  next_step?: unknown;
}

export class FollowUpSettingsDto {
  @Allow()
  aging_days?: unknown;

  @Allow()
  stale_days?: unknown;

  @Allow()
  time_zone?: unknown;
}
