/** What other capabilities may use of search: its store module (the index's projector). */
export { SearchStoreModule } from './search-store.module';
