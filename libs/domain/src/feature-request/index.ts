export * from './feature-request.state';
export * from './decide/feature-request.decide';
export * from './describe-feature-request';
