import { type ViewConfig } from '@crm/events';

export interface ViewState {
  id: string;
  table_id: string;
  name: string;
  config: ViewConfig;
  version: number;
}
