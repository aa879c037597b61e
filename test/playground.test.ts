/**
 * The playground in real headless Chromium (Debian's `chromium`, installed by
 * .ci/run; GMM_CHROMIUM overrides the path), driven by playwright-core. The
 * page is built by Vite from the built package (npm test builds first) and
 * served by Vite's preview server.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_REQUIRED, CHROMIUM, HOW_TO_GET_CHROMIUM } from './helpers/chromium.js';

const CONFIG = fileURLToPath(new URL('../playground/vite.config.ts', import.meta.url));
const SHOTS = fileURLToPath(new URL('./.tmp/', import.meta.url));

let server: PreviewServer;
let browser: Browser;
let url = '';

beforeAll(async () => {
  if (!CHROMIUM) throw new Error(`the browser tests need Chromium: ${HOW_TO_GET_CHROMIUM}`);
  await build({ configFile: CONFIG, logLevel: 'warn' });
  server = await preview({ configFile: CONFIG, logLevel: 'warn', preview: { port: 0, strictPort: false } });
  url = server.resolvedUrls!.local[0]!;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page on the playground, recording every console error and uncaught exception. */
async function open(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1340, height: 1000 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  await page.goto(url);
  await page.locator('#kmeans-plot svg').waitFor();
  return { page, problems };
}

const count = (page: Page, selector: string) => page.locator(selector).count();

/** Waits until the text of `selector` contains `text` (or equals it, with `exact`). */
async function waitText(page: Page, selector: string, text: string, timeout = 10_000, exact = false): Promise<void> {
  try {
    await page.waitForFunction(
      ([selector, text, exact]) => {
        const content = document.querySelector(selector as string)?.textContent ?? '';
        return exact ? content === text : content.includes(text as string);
      },
      [selector, text, exact] as const,
      { timeout },
    );
  } catch (e) {
    const now = await page.locator(selector).first().textContent();
    throw new Error(
      `${selector} never showed ${JSON.stringify(text)}; it shows ${JSON.stringify(now)} (${(e as Error).message})`,
    );
  }
}

// Without Chromium outside CI the suite is skipped, and the run ends with a notice saying so (test/setup/notices.ts).
describe.skipIf(!CHROMIUM && !BROWSER_REQUIRED)('the playground in headless Chromium', () => {
  it('loads with no console errors, shows the data and EM’s starting guess', async () => {
    const { page, problems } = await open();
    await expect(page.title()).resolves.toMatch(/gmm playground/);
    expect(await count(page, '#kmeans-plot svg circle')).toBeGreaterThanOrEqual(400); // the 400 stretched blobs
    await waitText(page, '#gmm-plot svg title', 'EM: the starting guess (k-means)', 10_000, true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fits k-means and a mixture side by side: circles and ellipses, off the main thread', async () => {
    const { page, problems } = await open();
    await page.selectOption('#dataset', 'stretched-blobs');
    await page.click('#fit');
    await waitText(page, '#status', 'Fitted in', 30_000);
    // k-means: a translucent circle per cluster; the mixture: a 2σ ellipse per component.
    expect(await count(page, '#kmeans-plot svg path[fill-opacity="0.08"]')).toBe(4);
    expect(await count(page, '#gmm-plot svg path[fill="none"][stroke-opacity="0.8"]')).toBe(4);
    const ari = (caption: string) => Number(/adjusted Rand index ([\d.]+)/.exec(caption)![1]);
    const kmeansAri = ari((await page.locator('#kmeans-caption').textContent())!);
    const gmmAri = ari((await page.locator('#gmm-caption').textContent())!);
    expect(gmmAri).toBeGreaterThan(0.98);
    expect(gmmAri - kmeansAri).toBeGreaterThan(0.1);
    expect(await page.locator('#trace').getAttribute('data-values')).toMatch(/^-[\d.]+( -[\d.]+)+$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('steps EM one iteration at a time; the log-likelihood never decreases', async () => {
    const { page, problems } = await open();
    await page.selectOption('#dataset', 'moons');
    await page.fill('#k', '6');
    await page.locator('#k').dispatchEvent('change');
    for (let i = 0; i < 8; i++) await page.click('#step');
    await waitText(page, '#gmm-plot svg title', 'EM after 8 iterations', 10_000, true);
    const values = (await page.locator('#trace').getAttribute('data-values'))!.split(' ').map(Number);
    expect(values).toHaveLength(9);
    for (let t = 1; t < values.length; t++) expect(values[t]).toBeGreaterThanOrEqual(values[t - 1]!);
    expect(values.at(-1)! - values[0]!).toBeGreaterThan(0.02);
    expect(await count(page, '#gmm-plot svg path[fill="none"][stroke-opacity="0.8"]')).toBe(6);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('animates EM to convergence, then stops by itself', async () => {
    const { page, problems } = await open();
    await page.selectOption('#covariance', 'tied');
    await page.click('#animate');
    expect(await page.getAttribute('#animate', 'aria-pressed')).toBe('true');
    await waitText(page, '#status', 'EM converged after', 30_000);
    expect(await page.getAttribute('#animate', 'aria-pressed')).toBe('false');
    const values = (await page.locator('#trace').getAttribute('data-values'))!.split(' ').map(Number);
    for (let t = 1; t < values.length; t++) expect(values[t]).toBeGreaterThanOrEqual(values[t - 1]!);
    expect(await page.locator('#gmm-caption').textContent()).toContain('tied covariances');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a dropped CSV with a bad cell as a readable error, and keeps working', async () => {
    const { page, problems } = await open();
    const drop = (name: string, text: string) =>
      page.evaluate(
        ([name, text]) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([text!], name!, { type: 'text/csv' }));
          document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        },
        [name, text],
      );
    await drop('bad.csv', 'x,y\n1,2\n3,oops\n');
    await page.locator('#error').waitFor({ state: 'visible' });
    await waitText(page, '#error', "bad.csv:3:2: 'oops' is not a number", 10_000, true);
    // Still working: a good file replaces the data.
    await drop('good.csv', 'a,b\n0,0\n0.2,0.1\n0.1,0.3\n5,5\n5.2,5.1\n4.9,5.3\n');
    await page.locator('#error').waitFor({ state: 'hidden' });
    await waitText(page, '#status', 'good.csv: 6 points');
    expect(await page.inputValue('#dataset')).toBe('file');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('adds a point where the plot is clicked', async () => {
    const { page, problems } = await open();
    await page.selectOption('#dataset', 'empty');
    const box = (await page.locator('#kmeans-plot svg').boundingBox())!;
    for (const [fx, fy] of [
      [0.3, 0.4],
      [0.6, 0.5],
      [0.5, 0.7],
    ])
      await page.mouse.click(box.x + fx! * box.width, box.y + fy! * box.height);
    await waitText(page, '#status', '3 points');
    // Three data points (and the legend's dot).
    expect(await count(page, '#kmeans-plot svg circle')).toBe(4);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws the BIC curve and samples (and saves a screenshot)', async () => {
    const { page, problems } = await open();
    await page.click('#fit');
    await waitText(page, '#status', 'Fitted in', 30_000);
    await page.click('#bic');
    await waitText(page, '#status', 'Lowest BIC: k = 4, full covariances.', 60_000);
    expect(await count(page, '#bic-plot svg circle[r="8"]')).toBe(1); // the best ringed
    await page.screenshot({ path: `${SHOTS}playground.png`, fullPage: true });
    await page.click('#sample');
    await waitText(page, '#gmm-plot svg title', '400 new points drawn from the mixture', 10_000, true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('picks any two columns of data with more than two (iris, a dropped file)', async () => {
    const { page, problems } = await open();
    expect(await page.locator('#columns').isVisible()).toBe(false); // the blobs have two
    await page.selectOption('#dataset', 'iris');
    await page.locator('#columns').waitFor({ state: 'visible' });
    expect(await page.locator('#x-column option').allTextContents()).toEqual([
      'sepal_length',
      'sepal_width',
      'petal_length',
      'petal_width',
    ]);
    const axisLabels = () => page.locator('#kmeans-plot svg > text[font-size="12"]').allTextContents();
    expect(await axisLabels()).toEqual(['petal_length', 'petal_width']);
    await page.selectOption('#x-column', { label: 'sepal_length' });
    await page.selectOption('#y-column', { label: 'sepal_width' });
    expect(await axisLabels()).toEqual(['sepal_length', 'sepal_width']);
    await waitText(page, '#status', 'iris (150 flowers, 4 measurements): 150 points.');
    expect(await page.inputValue('#k')).toBe('3');
    // A dropped file with four numeric columns and a text one.
    const csv = `a,b,c,d,kind\n${Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 11},${i},${(i * i) % 13},k${i % 2}`).join('\n')}\n`;
    await page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'four.csv', { type: 'text/csv' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, csv);
    await waitText(page, '#status', 'four.csv: 40 points');
    expect(await page.locator('#y-column option').allTextContents()).toEqual(['a', 'b', 'c', 'd']);
    await page.selectOption('#y-column', { label: 'd' });
    expect(await axisLabels()).toEqual(['a', 'd']);
    // The same column twice is refused with a message, and the figure stays.
    await page.selectOption('#x-column', { label: 'd' });
    await waitText(page, '#error', 'x and y are both d: pick two different columns');
    expect(await axisLabels()).toEqual(['a', 'd']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fits a 390 px phone screen: nothing wider than the screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await page.goto(url);
    await page.locator('#kmeans-plot svg').waitFor();
    await page.click('#fit');
    await waitText(page, '#status', 'Fitted in', 30_000);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const widths = await page.locator('svg').evaluateAll((svgs) => svgs.map((svg) => svg.getBoundingClientRect().right));
    expect(widths.length).toBeGreaterThanOrEqual(3);
    for (const right of widths) expect(right).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}playground-390.png`, fullPage: true });
    await page.close();
  });

  it('fits 100,000 points on worker threads while the page stays responsive', async () => {
    const { page, problems } = await open();
    await page.selectOption('#dataset', 'big-stretched');
    await waitText(page, '#status', '100,000 points (drawing 2,942 of them)');
    // Drawn: every 34th point; counted: every point (the true classes color the drawn ones).
    expect(await page.locator('#kmeans-plot svg title').textContent()).toBe('100,000 points, colored by true class');
    expect(await count(page, '#kmeans-plot svg circle')).toBe(2942 + 4); // and the legend's four classes
    await page.click('#fit');
    // While the fit runs, the page answers at once.
    await waitText(page, '#status', 'Fitting k-means and the mixture on 100,000 points');
    const started = Date.now();
    await page.evaluate(() => document.title);
    expect(Date.now() - started).toBeLessThan(1000);
    await waitText(page, '#status', 'Fitted in', 60_000);
    const longestGap = Number(await page.locator('body').getAttribute('data-longest-gap'));
    expect(longestGap).toBeLessThan(250);
    const gmmAri = Number(/adjusted Rand index ([\d.]+)/.exec((await page.locator('#gmm-caption').textContent())!)![1]);
    expect(gmmAri).toBeGreaterThan(0.95);
    expect(problems).toEqual([]);
    await page.close();
  });
});
