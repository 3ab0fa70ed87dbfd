import { ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';

/**
 * The view bar's past date: '' for now, else the local date and time the view is shown at
 * (read-only, in place of the grid); "changes since" it; and whose filters the past view reads —
 * its own then, or (from a dashboard's link at a past date) today's.
 */
export function useAsOfState() {
  const route = useRoute();
  const router = useRouter();
  const date = ref('');
  const since = ref(false);
  const definition = ref<'then' | 'now'>('then');
  watch(date, (d) => {
    if (!d) definition.value = 'then';
  });

  /**
   * `?as_of=<local date and time>&definition=now` (a dashboard's link at a past date): the view
   * opens as of then; the address drops it, so that a reload shows the live grid.
   */
  function fromRoute() {
    const at = route.query.as_of;
    if (typeof at !== 'string' || !at) return;
    date.value = at;
    definition.value = route.query.definition === 'now' ? 'now' : 'then';
    void router.replace({ query: { ...route.query, as_of: undefined, definition: undefined } });
  }

  return { date, since, definition, fromRoute };
}
