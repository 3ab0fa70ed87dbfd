import type { ChildProcess } from 'node:child_process';

/**
 * Servers a test starts as child processes. A spec that fails between starting one and stopping it
 * would otherwise leave it running, holding the test process open (its pipes) long after the run
 * ends: every child still alive when the test process exits is killed with it.
 */
const live = new Set<ChildProcess>();
let hooked = false;

export function reapOnExit(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });
  }
  return child;
}
