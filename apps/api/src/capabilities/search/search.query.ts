import { invalid } from '@crm/domain';
import type { SearchResponse, SearchResult } from '@crm/contracts';
import { fold } from './search-text';
import { type HitFilter, type SearchHit, type SearchRepository } from './search.repository';

export const SEARCH_LIMITS = { queryChars: 200, maxResults: 100, defaultResults: 20 } as const;
/** The shortest piece of a query the trigram index can find inside a text. */
const TRIGRAM = 3;
/**
 * What may come before a word: a query of two characters ("Wu", "Ng") is found at the start of any
 * word of a cell, as the three characters made of one of these and the query.
 */
const WORD_STARTS = [' ', '-', '.', '@', '/', '(', "'"];
const SNIPPET_CHARS = 80;

export interface SearchInput {
  q: string;
  tables: string[] | null;
  archived: boolean;
  limit: number;
}

/**
 * Search over the index: every word of the query (folded: no case, no accents) must occur in one
 * cell. Words of three characters or more are found anywhere through the trigram index; a query
 * of shorter words only at the start of a word (two characters) or of a cell (one). Per record the best cell counts: a
 * primary field before another, the start of a text before its middle, then the shorter text.
 */
export class SearchQuery {
  constructor(
    private readonly index: SearchRepository,
    /** A table's name by id (the grid's schema). */
    private readonly tableName: (id: string) => string,
  ) {}

  search(input: SearchInput): SearchResponse {
    const folded = fold(input.q).trim();
    const words = folded.split(/\s+/).filter(Boolean);
    const long = words.filter((w) => w.length >= TRIGRAM);
    // Short words alone: each at the start of a word (a cell's start is the prefix look-up's).
    const terms: (string | string[])[] = long.length
      ? long
      : words.filter((w) => w.length === TRIGRAM - 1).map((w) => WORD_STARTS.map((c) => c + w));
    // Each query stops at a few times the limit: enough to rank, bounded however common the words.
    const filter: HitFilter = { ...input, limit: input.limit * 4 };
    const hits: SearchHit[] = [];
    for (const primary of [true, false]) {
      hits.push(...this.index.startingWith(folded, primary, filter));
      if (terms.length) hits.push(...this.index.containing(terms, primary, filter));
    }
    const best = new Map<string, Omit<SearchResult, 'title' | 'table_name'> & { length: number }>();
    for (const h of hits) {
      if (!words.every((w) => h.folded.includes(w))) continue;
      const score = (h.is_primary ? 2 : 0) + (h.folded.startsWith(words[0]) ? 1 : 0);
      const seen = best.get(h.record_id);
      if (seen && (seen.score > score || (seen.score === score && seen.length <= h.text.length)))
        continue;
      best.set(h.record_id, {
        table_id: h.table_id,
        record_id: h.record_id,
        field_id: h.field_id,
        snippet: snippetOf(h.text, h.folded.indexOf(words[0])),
        score,
        length: h.text.length,
      });
    }
    const ranked = [...best.values()]
      .sort(
        (a, b) => b.score - a.score || a.length - b.length || a.snippet.localeCompare(b.snippet),
      )
      .slice(0, input.limit);
    const titles = this.index.titles(ranked.map((r) => r.record_id));
    const results = ranked.map(({ length: _, ...r }) => ({
      ...r,
      title: titles.get(r.record_id) ?? '',
      table_name: this.tableName(r.table_id),
    }));
    return { results };
  }
}

/** The text around a match: whole when short, else a window with an ellipsis where it is cut. */
function snippetOf(text: string, at: number): string {
  if (text.length <= SNIPPET_CHARS) return text;
  const start = Math.max(0, Math.min(at - 20, text.length - SNIPPET_CHARS));
  const piece = text.slice(start, start + SNIPPET_CHARS);
  return `${start > 0 ? '…' : ''}${piece}${start + SNIPPET_CHARS < text.length ? '…' : ''}`;
}

/** The query string's parameters, checked: a 400 names the parameter. */
export function searchInputOf(raw: {
  q?: unknown;
  tables?: unknown;
  archived?: unknown;
  limit?: unknown;
}): SearchInput {
  if (typeof raw.q !== 'string' || raw.q.trim() === '')
    throw invalid('q is required: the text to search for', { field: 'q' });
  if (raw.q.length > SEARCH_LIMITS.queryChars)
    throw invalid(`q may be at most ${SEARCH_LIMITS.queryChars} characters`, {
      field: 'q',
      length: raw.q.length,
    });
  const limit = raw.limit === undefined ? SEARCH_LIMITS.defaultResults : Number(raw.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.maxResults)
    throw invalid(`limit must be a whole number from 1 to ${SEARCH_LIMITS.maxResults}`, {
      field: 'limit',
      given: raw.limit,
    });
  if (raw.tables !== undefined && typeof raw.tables !== 'string')
    throw invalid('tables must be a comma-separated list of table ids', { field: 'tables' });
  const tables = raw.tables
    ? raw.tables
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : null;
  if (raw.archived !== undefined && raw.archived !== 'true' && raw.archived !== 'false')
    throw invalid('archived must be true or false', { field: 'archived', given: raw.archived });
  return {
    q: raw.q,
    tables: tables?.length ? tables : null,
    archived: raw.archived === 'true',
    limit,
  };
}
