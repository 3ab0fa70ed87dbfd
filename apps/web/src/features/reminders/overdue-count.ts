import { ref } from 'vue';
import { remindersApi } from './api/reminders.api';

/** How many of my reminders are overdue, for the nav; refreshed on load and after My day changes. */
export const overdueCount = ref(0);

export function refreshOverdueCount(): void {
  remindersApi
    .overdueCount()
    .then((c) => (overdueCount.value = c.overdue))
    .catch(() => undefined);
}
