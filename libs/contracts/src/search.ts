/** `GET /api/search?q=&tables=&archived=&limit=`: records whose text-like cells hold the query. */
export interface SearchResult {
  table_id: string;
  record_id: string;
  /** The cell that matched best (the primary field's when it matched). */
  field_id: string;
  /** The matched text, cut around the match when it is long. */
  snippet: string;
  /** Higher first: a primary field before others, a start of the text before a middle. */
  score: number;
  /** The record's primary field as text ('' when it has none), and its table's name: what a list shows. */
  title: string;
  table_name: string;
}

export interface SearchResponse {
  results: SearchResult[];
}
