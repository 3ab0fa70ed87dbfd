import { type FieldDefinition } from '@crm/events';
import { type LinkNames } from './checker';
import { type FormulaGraph } from './dependency-graph';
import { type LinkContext } from './link-field';
import { linkFieldReads } from './link-field-options';
import { cellToFormulaValue } from './stored-values';
import { toText } from './values';
import { currencyLinkOf } from '../values/amount-currency';
import { isLinkComputedType } from '../values/field-types';

/**
 * Links read as names in formulas, as in Airtable: `{Investor}` gives the linked records' primary
 * values ("Yale Investments Office"), and so does a lookup of a link field. A formula then depends on
 * other records' primary fields, which the cross-table reads below tell the projector about.
 */

/** How a table's links read as names, from what a computed link field reads. */
export function linkNamesOf(links: LinkContext): LinkNames {
  return {
    tableOf: (field) => namedTableOf(field),
    names: (tableId, ids) => {
      const primaryId = links.primaryFieldOf(tableId);
      const primary = links.fieldsOf(tableId)?.find((f) => f.id === primaryId);
      if (!primary) return [];
      const out: string[] = [];
      for (const r of links.records(ids, tableId)) {
        if (r.archived || r.table_id !== tableId) continue;
        const name = toText(cellToFormulaValue(primary, r.values[primary.id]));
        if (name !== '') out.push(name);
      }
      return out;
    },
  };
}

/** The table a link names records of; null for any other field (a lookup of a link holds names). */
function namedTableOf(field: FieldDefinition): string | null {
  return field.type === 'link' ? String(field.options.table_id) : null;
}

/** The link field of another table a lookup or rollup reads, when it reads a link. */
function lookedUpLink(
  field: FieldDefinition,
  fields: readonly FieldDefinition[],
  links: Pick<LinkContext, 'fieldsOf'>,
): FieldDefinition | null {
  if (field.type !== 'lookup' && field.type !== 'rollup') return null;
  const link = fields.find((f) => f.id === field.options.link_field_id && f.type === 'link');
  const target = link
    ? links
        .fieldsOf(String(link.options.table_id))
        ?.find((f) => f.id === field.options.target_field_id)
    : undefined;
  return target?.type === 'link' ? target : null;
}

/** Whether a formula reading this field reads other records' names (kept as is without them). */
export const readsNames = (field: FieldDefinition): boolean =>
  field.type === 'link' || field.type === 'lookup';

/**
 * What a derived field of a table reads in another table, through a link field of its own table:
 * a lookup, rollup or count its target and condition fields; a formula reading a link the linked
 * table's primary field. A `relay` carries a change of the named table's primary field one link
 * further: to the records of `source_table_id` linking to it by `link_field_id`, which a lookup of
 * that link field elsewhere shows, so that a formula reading the lookup follows a rename too.
 */
export type CrossRead =
  | {
      kind: 'reader';
      node_id: string;
      link_field_id: string;
      target_table_id: string;
      reads: string[];
    }
  | {
      kind: 'relay';
      source_table_id: string;
      link_field_id: string;
      target_table_id: string;
      reads: string[];
    };

/**
 * A rollup over amounts each in its linked fund's currency reads their fund links too, so that it
 * sees which currencies it would add (and is recomputed when a commitment moves to another fund).
 */
function withCurrencyLink(
  reads: string[],
  field: FieldDefinition,
  targetTableId: string,
  links: Pick<LinkContext, 'fieldsOf'>,
): string[] {
  if (field.type !== 'rollup') return reads;
  const target = links.fieldsOf(targetTableId)?.find((f) => f.id === field.options.target_field_id);
  const via = target && currencyLinkOf(target);
  return via && !reads.includes(via) ? [...reads, via] : reads;
}

/** The cross-table reads of one table's derived fields (see CrossRead). */
export function crossReadsOf(
  graph: FormulaGraph,
  fields: readonly FieldDefinition[],
  links: Pick<LinkContext, 'fieldsOf' | 'primaryFieldOf'>,
): CrossRead[] {
  const out: CrossRead[] = [];
  const byId = new Map(fields.map((f) => [f.id, f]));
  const primaryOf = (tableId: string) => {
    const id = links.primaryFieldOf(tableId);
    return id ? [id] : [];
  };
  for (const n of graph.ordered) {
    if (isLinkComputedType(n.field.type)) {
      const link = byId.get(String(n.field.options.link_field_id));
      if (link?.type !== 'link') continue;
      out.push({
        kind: 'reader',
        node_id: n.field.id,
        link_field_id: link.id,
        target_table_id: String(link.options.table_id),
        reads: withCurrencyLink(
          linkFieldReads(n.field),
          n.field,
          String(link.options.table_id),
          links,
        ),
      });
      // It shows the names of the records its linked records link to: a rename there reaches it.
      const shown = lookedUpLink(n.field, fields, links);
      if (shown) {
        const named = String(shown.options.table_id);
        out.push({
          kind: 'relay',
          source_table_id: String(link.options.table_id),
          link_field_id: shown.id,
          target_table_id: named,
          reads: primaryOf(named),
        });
      }
      continue;
    }
    for (const id of n.compiled?.fieldIds ?? []) {
      const f = byId.get(id);
      if (f?.type !== 'link') continue;
      const target = String(f.options.table_id);
      out.push({
        kind: 'reader',
        node_id: n.field.id,
        link_field_id: f.id,
        target_table_id: target,
        reads: primaryOf(target),
      });
    }
  }
  return out;
}
