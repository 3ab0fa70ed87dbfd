export * from './view-config';
export * from './validate-view-config';
export * from './view-rows';
export * from './apply-view';
export { compileFilter } from './compile-filter';
export { readerDay, readerTimeZone } from './reader-time-zone';
export { isBlankCell, isTicked } from './cell-reading';
export * from './column-summary';
export * from './view-groups';
