/** What other capabilities may use of search: its module, and how far its index is behind the log. */
export { SearchModule } from './search.module';
export { SearchIndexer } from './search.indexer';
