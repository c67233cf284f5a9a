import { existsSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createManualClock, type ManualClock } from '@granary/core/testing';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromObject, EMBEDDED_DEFAULT } from '../src/config/load-config.js';
import { createGranaryServer, type GranaryServer } from '../src/granary-server.js';
import { removeTempDirsAfterAll, tempDir } from './helpers/temp-dir.js';
import { logCapture } from './helpers/test-server.js';

// End to end in headless Chromium (Debian's package, driven by playwright-core): the status page of a
// demo server shows OK, then BREACHED once pipeline lag is injected through POST /v1/demo/lag.
// A manual clock makes it deterministic: the lag switch makes new rows and heartbeats carry event times
// 300 s old, and the clock moves 300 s, so the newest heartbeat of user_stats (maxAge 2m, heartbeat every
// 2s) is 300 s old > maxAge + 2 intervals. Set GRANARY_UPDATE_SCREENSHOT=1 to rewrite docs/images/status-page.png.

removeTempDirsAfterAll();

const CHROMIUM = process.env.GRANARY_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/images/status-page.png');
const LAG_SECONDS = 300;

let server: GranaryServer;
let clock: ManualClock;
let url: string;
let context: BrowserContext;
let page: Page;

async function requestFeatures(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${url}/v1/features`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        features: ['user_stats:clicks_1h', 'user_stats:ctr_7d', 'user_profile:country'],
        entities: [{ user_id: 1 + (i % 3) }, { user_id: 1000 + i }],
      }),
    });
    expect(res.status).toBe(200);
  }
}

function verdictCell(view: string) {
  return page.locator(`#views tr[data-view="${view}"] td.verdict .badge`);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the status-page browser test needs it. Install Debian's package: ` +
        'apt-get install -y --no-install-recommends chromium (or set GRANARY_CHROMIUM to a Chromium binary)',
    );
  }
  clock = createManualClock(Date.now());
  const config = configFromObject({
    ...EMBEDDED_DEFAULT,
    server: { port: 0 },
    log: { level: 'warn' },
    demo: { enabled: true, entities: 200, writesPerSecond: 50 },
  });
  server = await createGranaryServer({ config, clock, logDestination: logCapture().stream });
  url = await server.listen();
  await server.engine.probeHeartbeats();
  const profile = await tempDir('chromium-profile');
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 900 },
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
  page = context.pages()[0] ?? (await context.newPage());
}, 60_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
});

// The page refreshes every 200 ms; on a loaded CI machine Chromium may take seconds to render the next state
// (a 1 s default poll once ran out). The assertion is about what the page shows, not how fast.
const PAGE_POLL = { timeout: 15_000, interval: 100 };

describe('status page in headless Chromium', () => {
  it('shows OK before the lag and a red BREACHED badge after it', async () => {
    await requestFeatures(20);
    await page.goto(`${url}/?interval=200`);
    await expect
      .poll(() => page.locator('#views tr[data-view="user_stats"]').getAttribute('data-verdict'), PAGE_POLL)
      .toBe('OK');
    expect(await verdictCell('user_stats').textContent()).toBe('OK');
    expect(await page.locator('#overall').textContent()).toBe('OK');
    expect(await page.locator('body').textContent()).not.toContain('BREACHED');
    expect(await page.locator('#audit').textContent()).toContain('no audit yet');
    expect(await page.locator('#circuits').textContent()).toContain('closed');

    const lag = await fetch(`${url}/v1/demo/lag`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: LAG_SECONDS }),
    });
    expect(lag.status).toBe(200);
    clock.advance(LAG_SECONDS * 1000);
    await server.engine.probeHeartbeats();
    await requestFeatures(20);

    await expect
      .poll(() => page.locator('#views tr[data-view="user_stats"]').getAttribute('data-verdict'), PAGE_POLL)
      .toBe('BREACHED');
    const badge = verdictCell('user_stats');
    expect(await badge.textContent()).toBe('BREACHED');
    // Runs in the page (the server's tsconfig has no DOM lib, hence the cast).
    type Css = { getComputedStyle(e: unknown): { backgroundColor: string } };
    const background = await badge.evaluate(
      (e) => (globalThis as unknown as Css).getComputedStyle(e).backgroundColor,
    );
    expect(background).toBe('rgb(207, 34, 46)');
    expect(await page.locator('#overall').textContent()).toBe('BREACHED');
    expect(await page.locator('#views tr[data-view="user_stats"] .reasons').textContent()).toContain(
      'newest heartbeat',
    );
    // user_profile (maxAge 1h) is only at risk: its heartbeat is late but within maxAge.
    expect(await page.locator('#views tr[data-view="user_profile"]').getAttribute('data-verdict')).toBe(
      'AT_RISK',
    );
    expect(await page.title()).toBe('Granary status: BREACHED');

    const png = await page.screenshot({ fullPage: true, type: 'png' });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    if (process.env.GRANARY_UPDATE_SCREENSHOT === '1') {
      await mkdir(dirname(SCREENSHOT), { recursive: true });
      await writeFile(SCREENSHOT, png);
      expect((await stat(SCREENSHOT)).size).toBeLessThan(300 * 1024);
    } else {
      await writeFile(join(await tempDir('screenshot'), 'status-page.png'), png);
    }
  });
});
