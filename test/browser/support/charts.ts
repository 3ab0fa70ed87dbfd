import type { Page } from 'playwright-core';

/** Clicks the middle of one bar of a chart, located on its canvas through the chart's instance. */
export async function clickBar(page: Page, chart: string, seriesIndex: number, dataIndex: number) {
  const at = await page.$eval(
    `[data-testid=chart-${chart}]`,
    (el, [s, d]) => {
      const c = (
        el as unknown as {
          chart: {
            getOption(): { series: { data: number[] }[] };
            convertToPixel(f: object, v: number[]): number[];
          };
        }
      ).chart;
      const series = c.getOption().series;
      // A stacked bar: its middle is the segments before it plus half of it.
      const before = series.slice(0, s).reduce((n, x) => n + Number(x.data[d] ?? 0), 0);
      const value = before + Number(series[s].data[d]) / 2;
      return c.convertToPixel({ seriesIndex: s }, [value, d]);
    },
    [seriesIndex, dataIndex],
  );
  const box = (await page.locator(`[data-testid=chart-${chart}] .dash-card__chart`).boundingBox())!;
  await page.mouse.click(box.x + at[0], box.y + at[1]);
}
