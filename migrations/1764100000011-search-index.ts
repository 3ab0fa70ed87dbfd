import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The search index, kept from the log after each commit by the search indexer: one entry per
 * text-like cell (`search_entries`), its text folded for prefix look-ups of short queries, and FTS5
 * trigram indexes over the text (`search_primary_text`, `search_other_text`, external content) for
 * substring matches, case- and accent-insensitive.
 */
export class SearchIndex1764100000011 implements MigrationInterface {
  name = 'SearchIndex1764100000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE search_entries (
      id INTEGER PRIMARY KEY,
      record_id TEXT NOT NULL,
      table_id TEXT NOT NULL,
      field_id TEXT NOT NULL,
      is_primary INTEGER NOT NULL,
      archived INTEGER NOT NULL,
      text TEXT NOT NULL,
      folded TEXT NOT NULL,
      UNIQUE (record_id, field_id)
    )`);
    await q.query(`CREATE INDEX search_entries_folded ON search_entries (is_primary, folded)`);
    // How far the indexer has read the log; written in the same transaction as the entries.
    await q.query(`CREATE TABLE search_checkpoint (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      position INTEGER NOT NULL
    )`);
    await q.query(`INSERT INTO search_checkpoint (id, position) VALUES (1, 0)`);
    // Two trigram indexes: a query for primary fields never walks the matches of the others (a
    // common piece such as "example.com" is in every email and website, in no name).
    for (const kind of ['primary', 'other']) {
      await q.query(`CREATE VIEW search_${kind}_entries AS
        SELECT id, text FROM search_entries WHERE is_primary = ${kind === 'primary' ? 1 : 0}`);
      await q.query(`CREATE VIRTUAL TABLE search_${kind}_text USING fts5(
        text, content = 'search_${kind}_entries', content_rowid = 'id',
        tokenize = 'trigram remove_diacritics 1'
      )`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE search_checkpoint`);
    for (const kind of ['primary', 'other']) {
      await q.query(`DROP TABLE search_${kind}_text`);
      await q.query(`DROP VIEW search_${kind}_entries`);
    }
    await q.query(`DROP TABLE search_entries`);
  }
}
