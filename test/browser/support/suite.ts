import { afterAll, beforeAll } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';
import { type RunningServer, startServer } from './server';

export interface BrowserSuite {
  /** Replaceable: a spec may restart the server on the same data directory. */
  server: RunningServer;
  browser: Browser;
}

/**
 * The server (a child process) and one Chromium for a spec file: started together before its first
 * test, both stopped after its last (closing the browser closes its pages and contexts).
 */
export function browserSuite(options: Parameters<typeof startServer>[0] = {}): BrowserSuite {
  const suite = {} as BrowserSuite;
  beforeAll(async () => {
    [suite.server, suite.browser] = await Promise.all([startServer(options), launchChromium()]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}
