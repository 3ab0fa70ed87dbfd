import type { SearchResponse } from '@crm/contracts';
import { get } from '../../../app/http';

export type { SearchResult } from '@crm/contracts';

export const searchApi = {
  /** Records whose names, emails, URLs, notes or choices hold `q` (case and accents aside). */
  search: (q: string, signal?: AbortSignal) =>
    get<SearchResponse>(`/api/search?${new URLSearchParams({ q, limit: '20' })}`, { signal }),
};
