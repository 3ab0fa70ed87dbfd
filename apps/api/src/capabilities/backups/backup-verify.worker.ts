import 'reflect-metadata';
import Database from 'better-sqlite3';
import { answerInWorker } from '../../infrastructure/workers/worker-thread';
import { verifyInPlace, type VerifyInWorker } from './backup-verifier';

/**
 * A backup's verification in a worker thread (see verifyBackupFile). The live base is opened
 * read-only on its own connection: its log up to the copy's last position is committed and never
 * changes, so the prefix check reads what the server's connection would.
 */
answerInWorker(async ({ file, manifestPath, liveFile, ...options }: VerifyInWorker) => {
  const live = liveFile
    ? new Database(liveFile, { readonly: true, fileMustExist: true })
    : undefined;
  try {
    return await verifyInPlace(file, manifestPath, { ...options, live });
  } finally {
    live?.close();
  }
}, 'background');
