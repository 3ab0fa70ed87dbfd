import { type FieldDefinition } from '@crm/events';
import { isRankKey } from '../view/kanban-rank';
import { bad, isObj } from './config-problem';
import { FILTER_LIMITS, type KanbanSettings, VIEW_TYPES, type ViewSort } from './view-config';

/** Checks `group_by`: at most three levels of { field_id, direction }, each an existing field once. */
export function checkGroupBy(raw: unknown, fields: Map<string, FieldDefinition>): ViewSort[] {
  if (!Array.isArray(raw))
    bad('group_by', 'must be a list of { field_id, direction }', { reason: 'not_a_list' });
  const levels = raw as unknown[];
  if (levels.length > FILTER_LIMITS.groupLevels)
    bad('group_by', `a view groups by at most ${FILTER_LIMITS.groupLevels} fields`, {
      reason: 'too_many_levels',
      max: FILTER_LIMITS.groupLevels,
      given: levels.length,
    });
  const out: ViewSort[] = [];
  levels.forEach((g, i) => {
    const at = `group_by[${i}]`;
    if (!isObj(g)) bad(at, 'a group level is { field_id, direction: "asc" | "desc" }');
    const field = typeof g.field_id === 'string' ? fields.get(g.field_id) : undefined;
    if (!field)
      bad(`${at}.field_id`, `unknown field ${JSON.stringify(g.field_id ?? null)}`, {
        reason: 'unknown_field',
        given: g.field_id ?? null,
      });
    if (g.direction !== 'asc' && g.direction !== 'desc')
      bad(`${at}.direction`, 'must be "asc" or "desc"', {
        reason: 'bad_direction',
        given: g.direction ?? null,
      });
    if (out.some((x) => x.field_id === field.id))
      bad(`${at}.field_id`, `the view already groups by "${field.name}"`, { reason: 'duplicate' });
    out.push({ field_id: field.id, direction: g.direction });
  });
  return out;
}

/** Checks `collapsed_groups`: group keys (see groupKey), a bounded list of strings. */
export function checkCollapsedGroups(raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.some((k) => typeof k !== 'string' || k.length > 2000))
    bad('collapsed_groups', 'must be a list of group keys', { reason: 'not_a_list' });
  const keys = [...new Set(raw as string[])];
  if (keys.length > FILTER_LIMITS.collapsedGroups)
    bad('collapsed_groups', `at most ${FILTER_LIMITS.collapsedGroups} groups can be collapsed`, {
      reason: 'too_many',
    });
  return keys;
}

export function checkViewType(raw: unknown): void {
  if (!(VIEW_TYPES as readonly unknown[]).includes(raw))
    bad('type', `must be one of ${VIEW_TYPES.join(', ')}`, {
      reason: 'unknown_type',
      given: raw ?? null,
    });
}

function checkRanks(raw: unknown): Record<string, string> {
  if (!isObj(raw)) bad('kanban.ranks', 'must be an object of record id → rank key');
  const entries = Object.entries(raw);
  if (entries.length > FILTER_LIMITS.rankedCards)
    bad('kanban.ranks', `at most ${FILTER_LIMITS.rankedCards} cards are ranked`, {
      reason: 'too_many',
    });
  for (const [id, rank] of entries)
    if (!isRankKey(rank))
      bad(`kanban.ranks.${id}`, 'must be a rank key (0-9a-z, not ending in 0)', {
        reason: 'bad_rank',
      });
  return raw as Record<string, string>;
}

/** Checks `kanban`: a single-select field for the columns and up to four other fields on the cards. */
export function checkKanban(raw: unknown, fields: Map<string, FieldDefinition>): KanbanSettings {
  if (!isObj(raw)) bad('kanban', 'must be { field_id, card_fields }', { reason: 'not_an_object' });
  const field = typeof raw.field_id === 'string' ? fields.get(raw.field_id) : undefined;
  if (!field)
    bad('kanban.field_id', `unknown field ${JSON.stringify(raw.field_id ?? null)}`, {
      reason: 'unknown_field',
      given: raw.field_id ?? null,
    });
  if (field.type !== 'single_select')
    bad(
      'kanban.field_id',
      `"${field.name}" is not a single select; a board's columns are choices`,
      {
        reason: 'not_single_select',
        given: field.id,
      },
    );
  const cards = raw.card_fields ?? [];
  if (!Array.isArray(cards) || cards.some((id) => typeof id !== 'string'))
    bad('kanban.card_fields', 'must be a list of field ids', { reason: 'not_a_list' });
  const known = [...new Set(cards as string[])].filter((id) => fields.has(id));
  const unknown = (cards as string[]).find((id) => !fields.has(id));
  if (unknown !== undefined)
    bad('kanban.card_fields', `unknown field ${JSON.stringify(unknown)}`, {
      reason: 'unknown_field',
      given: unknown,
    });
  if (known.length > FILTER_LIMITS.cardFields)
    bad('kanban.card_fields', `a card shows at most ${FILTER_LIMITS.cardFields} fields`, {
      reason: 'too_many',
      max: FILTER_LIMITS.cardFields,
    });
  const out: KanbanSettings = { field_id: field.id, card_fields: known };
  if (raw.ranks !== undefined) out.ranks = checkRanks(raw.ranks);
  return out;
}
