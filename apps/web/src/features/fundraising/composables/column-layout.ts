import { ApiError } from '../../../app/http';
import { toast } from '../../../ui/toast';
import { fundraisingApi } from '../api/fundraising.api';
import type { TableModel } from './base-model';

/** Column order and widths live in the table's default view; moves and resizes are saved after a pause. */
export class ColumnLayout {
  private timer: ReturnType<typeof setTimeout> | null = null;

  saveSoon(t: TableModel): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.save(t).catch((e) => {
        // A locked view keeps its layout for members: the change stays on this screen only.
        if (e instanceof ApiError && e.status === 403) toast('This view is locked: the column change applies on this screen only', 'info');
        else toast(`Column layout not saved: ${(e as Error).message}`, 'error');
      });
    }, 500);
  }

  /** Writes the table's column order and widths into its default view (created when missing). */
  async save(t: TableModel): Promise<void> {
    const config = { ...(t.view?.config ?? {}), default: true, field_order: t.order, field_widths: t.widths };
    if (t.view) await fundraisingApi.saveView(t.view.id, { table_id: t.id, name: t.view.name, config });
    else t.view = (await fundraisingApi.createView({ table_id: t.id, name: 'Grid view', config })).view;
    t.view.config = config;
  }
}
