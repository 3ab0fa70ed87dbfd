/**
 * The read-model dump and hash are the app's (backups record the hash in their manifests); tests use
 * the very same code so that "rebuilt equals live" means what a backup verification means.
 */
export {
  dumpReadModels,
  hashReadModels,
  readModelTables,
  NOT_READ_MODELS,
} from '../../apps/api/src/capabilities/backups/read-model-hash';
