/**
 * The work of a transaction awaited something that does not settle in microtasks (a timer, a file, a
 * socket): the transaction was rolled back, because the connection's readers would have seen it.
 */
export class TransactionSpannedTurnError extends Error {
  constructor() {
    super(
      'a transaction outlived its turn of the event loop: its work awaited something other than the ' +
        'database adapters; it was rolled back (do the slow part before or after the transaction)',
    );
  }
}
