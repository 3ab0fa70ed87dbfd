import type {
  AutomationAction,
  AutomationEffect,
  AutomationTrigger,
  FieldDefinition,
} from '@crm/events';

/** Words for rules, runs and lists, shared by the page and its parts. */

export const LIST_LABELS: Record<string, string> = {
  main: 'Main',
  follow_up: 'Follow-up',
  graveyard: 'Graveyard',
  longshot: 'Longshot',
  all: 'All',
};
export const MOVABLE_LISTS = ['main', 'follow_up', 'graveyard', 'longshot'];

const listName = (l: string) => LIST_LABELS[l] ?? l;

export function describeTrigger(t: AutomationTrigger, field: (id: string) => string): string {
  switch (t.type) {
    case 'record_created':
      return 'When a record is created';
    case 'record_matches':
      return 'When a record starts to meet the conditions';
    case 'record_updated': {
      const which = t.fields?.length ? t.fields.map(field).join(', ') : 'any field';
      const to = t.to ? ` to ${String(t.to.value)}` : '';
      return `When ${which} changes${to}`;
    }
    case 'schedule':
      return `Every ${t.every} at ${t.at} (${t.time_zone})`;
  }
}

export function describeAction(a: AutomationAction, field: (id: string) => string): string {
  switch (a.type) {
    case 'set_membership':
      return `${a.op === 'move' ? 'Move to' : a.op === 'add' ? 'Add to' : 'Remove from'} ${listName(a.list)}`;
    case 'set_field':
      return `Set ${field(a.field_id)} to ${JSON.stringify(a.value)}`;
    case 'log_note':
      return `Note "${a.text}"`;
    case 'create_reminder':
      return `Remind ${a.assignee === 'owner' ? 'the Owner' : 'a member'} in ${a.due_in_days} days: "${a.title}"`;
  }
}

export function describeEffect(e: AutomationEffect, field: (id: string) => string): string {
  if (e.what.startsWith('lists')) {
    const names = (v: unknown) => ((v as string[]) ?? []).map(listName).join(', ') || 'no list';
    return `lists: ${names(e.from)} → ${names(e.to)}`;
  }
  if (e.what.startsWith('field ')) {
    const id = e.what.slice('field '.length);
    return `${field(id)}: ${JSON.stringify(e.from)} → ${JSON.stringify(e.to)}`;
  }
  if (e.what === 'reminder') return `reminder: ${(e.to as { title?: string })?.title ?? ''}`;
  return `note: ${String(e.to)}`;
}

export const fieldNamer = (fields: FieldDefinition[]) => {
  const byId = new Map(fields.map((f) => [f.id, f.name]));
  return (id: string) => byId.get(id) ?? id;
};
