export * from './view-config';
export * from './validate-view-config';
export * from './apply-view';
export * from './column-summary';
