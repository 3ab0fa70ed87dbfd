import { answerInWorker } from '../../infrastructure/workers/worker-thread';
import { replayMatches, type ReplayInput } from './backup-replay';

/** The replay check of a backup in a worker thread: a full rebuild takes seconds on a large base. */
answerInWorker((input: ReplayInput) => replayMatches(input));
