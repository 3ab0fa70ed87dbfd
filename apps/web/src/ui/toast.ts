import { reactive } from 'vue';

export interface Toast {
  id: number;
  kind: 'info' | 'error' | 'success';
  text: string;
}

let next = 1;
export const toasts = reactive<Toast[]>([]);

/** A short message at the bottom of the screen; errors stay longer. */
export function toast(
  text: string,
  kind: Toast['kind'] = 'info',
  ms = kind === 'error' ? 7000 : 3500,
): void {
  const t = { id: next++, kind, text };
  toasts.push(t);
  if (toasts.length > 4) toasts.shift();
  setTimeout(() => {
    const i = toasts.findIndex((x) => x.id === t.id);
    if (i >= 0) toasts.splice(i, 1);
  }, ms);
}
