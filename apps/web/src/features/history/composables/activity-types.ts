/** The Activity page's type filter: a few groups of event types, as people think of them. */
export const TYPE_GROUPS: { id: string; label: string; types: string[] }[] = [
  { id: '', label: 'All activity', types: [] },
  { id: 'edits', label: 'Cell edits', types: ['RecordUpdated'] },
  {
    id: 'records',
    label: 'Records added, archived, back',
    types: ['RecordCreated', 'RecordArchived', 'RecordUnarchived'],
  },
  {
    id: 'schema',
    label: 'Tables and fields',
    types: [
      'TableCreated',
      'TableRenamed',
      'FieldAdded',
      'FieldRenamed',
      'FieldRetyped',
      'FieldRemoved',
    ],
  },
  { id: 'views', label: 'Views', types: ['ViewSaved', 'ViewDeleted'] },
];
