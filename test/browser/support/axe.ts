import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * A person whose pages accept axe-core: the app's CSP refuses injected scripts, so this context
 * bypasses it (the check runs only here, never in the served page).
 */
export async function axePerson(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1440, height: 900 },
) {
  const context = await browser.newContext({
    baseURL,
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
    bypassCSP: true,
  });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  return { context, page };
}

/** WCAG 2.1 A and AA violations on the page as it is now, each with the selectors it found. */
export async function axeViolations(page: Page, within?: string): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  return page.evaluate(async (within) => {
    interface Found {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[]; failureSummary?: string }[];
    }
    const { axe } = window as unknown as {
      axe: { run: (c: unknown, o: unknown) => Promise<{ violations: Found[] }> };
    };
    const result = await axe.run(within ? { include: [within] } : document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? ''}`),
    }));
  }, within);
}

/** A readable list of violations, for an assertion's message. */
export function describeViolations(where: string, violations: AxeViolation[]): string {
  return violations
    .map((v) => `${where}: [${v.impact}] ${v.id} — ${v.help}\n    ${v.nodes.join('\n    ')}`)
    .join('\n');
}
