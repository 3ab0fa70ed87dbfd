export * from './envelope';
export * from './errors';
export * from './event-store';
export * from './in-memory-event-store';
export * from './upcasters';
export * from './catalogue/fundraising.events';
export * from './catalogue/user.events';
export * from './catalogue/schema-versions';
