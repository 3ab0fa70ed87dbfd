import { reactive } from 'vue';

/** Which cell's history popover is open, and where on screen. */
export const cellHistory = reactive({
  open: null as { recordId: string; fieldId: string; x: number; y: number } | null,
});

export function openCellHistory(recordId: string, fieldId: string, cell: HTMLElement | null): void {
  const r = cell?.getBoundingClientRect();
  cellHistory.open = { recordId, fieldId, x: r ? r.left : 80, y: r ? r.bottom + 6 : 120 };
}
