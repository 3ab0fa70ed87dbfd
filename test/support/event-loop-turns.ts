/**
 * How many turns the event loop took while `work` ran: a probe re-arms itself with setImmediate, so
 * it counts the times other callbacks (a request, a timer) could have run. Work that never gives
 * the loop back counts none, however long it takes.
 */
export async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let probing = true;
  const probe = () => {
    if (!probing) return;
    turns++;
    setImmediate(probe);
  };
  setImmediate(probe);
  try {
    await work();
  } finally {
    probing = false;
  }
  return turns;
}
