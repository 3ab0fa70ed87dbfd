import { ref } from 'vue';
import type { PeopleList } from '@crm/contracts';
import { fundraisingApi } from '../../fundraising/api/fundraising.api';

type Person = PeopleList['people'][number];

// One load per page: every reminder's form offers the same team.
let loading: Promise<Person[]> | null = null;

/** The team's members who can be given a reminder (disabled ones are refused by the API). */
export function useTeam() {
  const members = ref<Person[]>([]);
  loading ??= fundraisingApi
    .people()
    .then((r) => r.people)
    .catch(() => {
      loading = null;
      return [];
    });
  void loading.then((all) => (members.value = all.filter((p) => !p.disabled)));
  return members;
}
