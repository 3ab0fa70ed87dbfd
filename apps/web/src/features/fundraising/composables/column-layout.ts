import type { FieldDefinition } from '@crm/events';
import { ApiError } from '../../../app/http';
import { toast } from '../../../ui/toast';
import { fundraisingApi } from '../api/fundraising.api';
import type { TableModel } from './base-model';

/** Width of a column nobody has resized yet, by field type. */
const DEFAULT_WIDTH: Record<string, number> = {
  text: 170,
  long_text: 240,
  number: 130,
  currency: 170,
  percent: 120,
  date: 150,
  date_time: 180,
  checkbox: 90,
  single_select: 165,
  multiple_select: 210,
  email: 210,
  url: 190,
  phone: 150,
  link: 210,
  created_time: 180,
  last_modified_time: 180,
  created_by: 150,
  last_modified_by: 150,
  formula: 150,
  follow_up: 160,
};

/** The table's fields in column order. */
export function orderedFields(t: TableModel): FieldDefinition[] {
  const byId = new Map(t.fields.map((f) => [f.id, f]));
  return t.order.map((id) => byId.get(id)).filter((f): f is FieldDefinition => !!f);
}

/** The saved width of a field's column, else a default for its type (the primary field is wider). */
export function columnWidth(t: TableModel, f: FieldDefinition): number {
  return t.widths[f.id] ?? (f.id === t.primary_field_id ? 220 : (DEFAULT_WIDTH[f.type] ?? 150));
}

/** Column order and widths live in the table's default view; moves and resizes are saved after a pause. */
export class ColumnLayout {
  private timer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Puts the moved columns at `finalIndex`, keeping the primary field first. A move that leaves the
   * order as it was (a column dropped where it stood, or put first by a freeze) saves nothing.
   */
  move(t: TableModel, fieldIds: string[], finalIndex: number): void {
    const rest = t.order.filter((id) => !fieldIds.includes(id));
    rest.splice(Math.min(finalIndex, rest.length), 0, ...fieldIds);
    const order = [t.primary_field_id, ...rest.filter((id) => id !== t.primary_field_id)];
    if (order.length === t.order.length && order.every((id, i) => id === t.order[i])) return;
    t.order = order;
    this.saveSoon(t);
  }

  /** A column's new width; the width it has already (a saved one or its type's) saves nothing. */
  resize(t: TableModel, fieldId: string, width: number): void {
    const f = t.fields.find((x) => x.id === fieldId);
    if (f && columnWidth(t, f) === Math.round(width)) return;
    t.widths[fieldId] = Math.round(width);
    this.saveSoon(t);
  }

  saveSoon(t: TableModel): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.save(t).catch((e) => {
        // A locked view keeps its layout for members: the change stays on this screen only.
        if (e instanceof ApiError && e.status === 403)
          toast('This view is locked: the column change applies on this screen only', 'info');
        else toast(`Column layout not saved: ${(e as Error).message}`, 'error');
      });
    }, 500);
  }

  /**
   * Writes the table's column order and widths into its default view (created when missing): those
   * two alone, so a freeze, a filter or a sort saved meanwhile (here or by a teammate) stays.
   */
  async save(t: TableModel): Promise<void> {
    const layout = { field_order: t.order, field_widths: t.widths };
    if (t.view) {
      const saved = await fundraisingApi.saveLayout(t.view.id, layout);
      t.view.config = saved.config;
    } else {
      const config = { default: true, ...layout };
      t.view = (
        await fundraisingApi.createView({ table_id: t.id, name: 'Grid view', config })
      ).view;
      t.view.config = config;
    }
  }
}
