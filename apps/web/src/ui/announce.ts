import { reactive } from 'vue';

/**
 * The page's polite live region (LiveRegion.vue): what a screen reader should say without moving
 * focus, such as a save or a refused edit. The text is emptied first so that the same words said
 * twice (two refusals in a row) are announced twice.
 */
export const announcement = reactive({ text: '' });

let latest = 0;

export function announce(text: string): void {
  announcement.text = '';
  const mine = ++latest;
  // After the emptied region is drawn (Vue draws in a microtask), or the words would not change.
  setTimeout(() => {
    if (mine === latest) announcement.text = text;
  }, 50);
}
