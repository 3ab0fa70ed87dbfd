/** What other capabilities may use of security: the registry their health checks join. */
export { SecurityCheckRegistry } from './security-checks';
