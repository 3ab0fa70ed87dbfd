import type { StateJson } from '@crm/contracts';
import { fundraisingApi } from '../../fundraising/api/fundraising.api';
import { type ContactOption, contactsOf } from '../investor-contacts';

// Loaded once, when the quick log of My day first needs it (the grid page has its own copy).
let loading: Promise<StateJson> | null = null;

/**
 * What the quick log of My day reads of the base: the investors table (to search only there) and an
 * investor's contacts. Loaded on first use, not with the page.
 */
export function baseForLog() {
  // The schema and the contacts: not every investor's record (a phone would load them all).
  loading ??= fundraisingApi.stateWithRecordsOf(['contacts']).catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading.then((state) => {
    const contacts = state.tables.find((t) => t.role === 'contacts');
    return {
      investorsTableId: state.tables.find((t) => t.role === 'investors')?.id ?? null,
      contactsOf: (investorId: string): ContactOption[] =>
        contactsOf(contacts, contacts?.records ?? [], (r, f) => r.values[f], investorId),
    };
  });
}

/** Forgets the loaded base: a contact added since is offered next time. */
export function forgetBaseForLog(): void {
  loading = null;
}
