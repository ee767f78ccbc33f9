// Browser test of the monitor page (issue 8): the real `cardsync serve` against the sandbox
// upstream, driven through Debian's headless chromium by playwright-core.
//
//   CARDSYNC_BINARY=<build>/bin/cardsync CARDSYNC_SANDBOX_BINARY=<build>/bin/cardsync-sandbox \
//   CARDSYNC_BROWSER_ARTIFACTS=<build>/tests/browser/artifacts node tests/browser/monitor.spec.mjs
//
// Exit 77 (skipped) when chromium or playwright-core is missing, unless
// CARDSYNC_REQUIRE_BROWSER=1 (CI), which turns that into a failure.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseCsv } from './support/csv.mjs';
import { mintHs256 } from './support/jwt.mjs';
import { startStack } from './support/stack.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const chromiumPath = env.CARDSYNC_CHROMIUM || '/usr/bin/chromium';
const artifacts = env.CARDSYNC_BROWSER_ARTIFACTS || join(here, 'artifacts');

function unavailable(why) {
  if (env.CARDSYNC_REQUIRE_BROWSER === '1') {
    console.error(`browser test cannot run: ${why}\n(CARDSYNC_REQUIRE_BROWSER=1, so this is a failure; scripts/install-deps.sh installs both)`);
    process.exit(1);
  }
  console.log(`SKIPPED browser test: ${why} (set CARDSYNC_REQUIRE_BROWSER=1 to make this a failure)`);
  process.exit(77);
}

if (!existsSync(chromiumPath)) unavailable(`no chromium at ${chromiumPath} (Debian package "chromium")`);
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (error) {
  unavailable(`playwright-core is not installed (run: npm ci --prefix tests/browser): ${error.message}`);
}
for (const name of ['CARDSYNC_BINARY', 'CARDSYNC_SANDBOX_BINARY']) {
  if (!env[name] || !existsSync(env[name])) {
    console.error(`browser test: ${name} must name the built binary (got "${env[name] ?? ''}")`);
    process.exit(1);
  }
}

// The header the page is tested under when the server sends none: the page must work with
// scripts, styles and connections from its own origin only.
const STRICT_CSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";
const TIMEOUT = 20000;

class Api {
  constructor(baseUrl, token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  async call(method, path, { body, headers = {}, expect = [200] } = {}) {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    assert.ok(expect.includes(response.status), `${method} ${path}: HTTP ${response.status} ${text}`);
    return { response, json: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  }

  async get(path) {
    return (await this.call('GET', path)).json;
  }
}

async function until(what, check, timeoutMs = TIMEOUT) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Console errors, uncaught exceptions and CSP violations of one browser context.
function watch(context, label, problems, allowed = () => false) {
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = `${label}: console error: ${message.text()} (${message.location().url})`;
    if (!allowed(text)) problems.push(text);
  });
  context.on('weberror', (error) => problems.push(`${label}: uncaught: ${error.error().message}`));
}

async function openPage(browser, baseUrl, options, cspNote) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  // The page is tested under a strict CSP on top of whatever the server sends.
  await context.route(`${baseUrl}/`, async (route) => {
    const response = await route.fetch();
    const headers = response.headers();
    // Both policies are enforced when the server sends its own (comma-separated policies).
    const sent = headers['content-security-policy'];
    headers['content-security-policy'] = sent ? `${sent}, ${STRICT_CSP}` : STRICT_CSP;
    if (sent) cspNote.sent = sent;
    else cspNote.missing = true;
    await route.fulfill({ response, headers });
  });
  return context;
}

async function signIn(page, baseUrl, token) {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('#dashboard').waitFor({ state: 'visible', timeout: TIMEOUT });
  await page.locator('[data-stat="failed"][data-value]').waitFor({ timeout: TIMEOUT });
}

const stat = (page, state) => page.locator(`[data-stat="${state}"]`).getAttribute('data-value').then(Number);

// Waits until the page shows the state's total at least (or exactly) n. No eval in the page:
// the strict CSP would rightly refuse it.
async function waitForStat(page, state, n, { exactly = false } = {}) {
  await page.waitForFunction(
    ([s, want, exact]) => {
      const value = Number(document.querySelector(`[data-stat="${s}"]`)?.dataset.value);
      return exact ? value === want : value >= want;
    },
    [state, n, exactly],
    { timeout: TIMEOUT },
  );
}

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.locator(button).click()]);
  const path = join(artifacts, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

test('monitor page against the real cardsync serve', async (t) => {
  await mkdir(artifacts, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  const stack = await startStack({ cardsync: env.CARDSYNC_BINARY, sandbox: env.CARDSYNC_SANDBOX_BINARY, secret });
  const operatorToken = stack.token('operator');
  const viewerToken = stack.token('viewer');
  const api = new Api(stack.baseUrl, operatorToken);
  const upstream = (path, method = 'GET') =>
    fetch(stack.upstreamUrl + path, { method, headers: { 'x-api-key': 'tcg_sandbox' } }).then((r) => r.json());
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
  const problems = [];
  const cspNote = {};
  let failed = false;

  // Steps share one server and one page, so after a failure the rest are skipped, not run
  // into timeouts; the server's output is attached to the first failure.
  const step = (name, fn) =>
    t.test(name, async (st) => {
      if (failed) return st.skip('an earlier step failed');
      try {
        await fn();
      } catch (error) {
        failed = true;
        error.message += `\n--- cardsync serve output (tail) ---\n${stack.server.tail(6000)}`;
        throw error;
      }
    });

  try {
    const games = (await upstream('/v1/games')).data.map((g) => g.id);
    assert.ok(games.length >= 2, 'the sandbox lists two games');
    const requestId = `browser-e2e-${randomBytes(4).toString('hex')}`;
    let gamesJobId = 0;

    const context = await openPage(browser, stack.baseUrl, { viewport: { width: 1280, height: 900 } }, cspNote);
    watch(context, 'desktop', problems);
    const page = await context.newPage();

    await step('a token the server refuses brings the form back with a message', async () => {
      const other = await openPage(browser, stack.baseUrl, {}, cspNote);
      // The refused call itself is logged by chromium as a failed resource: that one is expected.
      watch(other, 'bad-token', problems, (text) => /status of 401/.test(text));
      const badPage = await other.newPage();
      await badPage.goto(`${stack.baseUrl}/`);
      await badPage.locator('#login-hint').filter({ hasText: 'cardsync token create --role viewer' }).waitFor({ timeout: TIMEOUT });
      await badPage.getByLabel('Access token').fill(mintHs256('not-the-secret-'.repeat(4), { role: 'operator' }));
      await badPage.getByRole('button', { name: 'Sign in', exact: true }).click();
      await badPage.locator('#login-message').filter({ hasText: 'refused the token' }).waitFor({ timeout: TIMEOUT });
      assert.ok(await badPage.locator('#login').isVisible(), 'the sign-in form is shown again');
      assert.ok(await badPage.locator('#dashboard').isHidden(), 'the dashboard stays hidden');
      assert.equal(await badPage.evaluate(() => sessionStorage.getItem('cardsync.token')), null, 'a refused token is not kept');
      await other.close();
    });

    await step('signs in once; the token is kept for the session and stats stream live', async () => {
      await signIn(page, stack.baseUrl, operatorToken);
      for (const state of ['queued', 'processing', 'done', 'failed']) assert.equal(await stat(page, state), 0, `${state} starts at 0`);
      await page.locator('#connection[data-mode="live"]').waitFor({ timeout: TIMEOUT });
      await page.reload();
      await page.locator('#dashboard').waitFor({ state: 'visible', timeout: TIMEOUT });
      assert.ok(await page.locator('#login').isHidden(), 'no second sign-in after a reload');
      await page.locator('#connection[data-mode="live"]').waitFor({ timeout: TIMEOUT });
    });

    await step('stats change after a sync is enqueued through the API; the failed job shows its error', async () => {
      // An upstream outage fails the first job (one attempt allowed), deterministically.
      await upstream('/_sandbox/outage?duration=600', 'POST');
      const { response, json } = await api.call('POST', '/api/v1/syncs', {
        body: { provider: 'justtcg', spec: { mode: 'full', games: [games[0], 'no-such-game'] } },
        headers: { 'X-Request-Id': requestId },
        expect: [202],
      });
      assert.equal(response.headers.get('x-request-id'), requestId, 'the caller\'s request id is echoed');
      assert.ok(json.jobs.length >= 1 && json.jobs[0].type === 'justtcg.games', JSON.stringify(json));
      gamesJobId = json.jobs[0].id;
      await waitForStat(page, 'failed', 1);
      const row = page.locator(`#failed-jobs tr[data-job-id="${gamesJobId}"]`);
      await row.waitFor({ timeout: TIMEOUT });
      assert.match(await row.innerText(), /justtcg\.games/);
      assert.match(await row.innerText(), /503|unavailable|outage/i, 'the last error is shown');
    });

    await step('retrying the failed job by clicking takes it off the failed list', async () => {
      await upstream('/_sandbox/outage?duration=0', 'POST');
      const row = page.locator(`#failed-jobs tr[data-job-id="${gamesJobId}"]`);
      await row.getByRole('button', { name: `Retry job ${gamesJobId}` }).click();
      await row.waitFor({ state: 'detached', timeout: 5000 });
      await page.locator('#failed-message').filter({ hasText: `Job ${gamesJobId}` }).waitFor({ timeout: 5000 });
      const job = await api.get(`/api/v1/jobs/${gamesJobId}`);
      assert.notEqual(job.state, 'failed', 'the server requeued the job');
      // The sync now runs: games, then sets of the real game (and of no-such-game, which
      // upstream answers 404: a permanent failure), then cards.
      const stats = await until('the sync to drain', async () => {
        const s = await api.get('/api/v1/queue/stats');
        return s.totals.queued === 0 && s.totals.processing === 0 && s.totals.done >= 3 ? s : null;
      }, 60000);
      await waitForStat(page, 'done', stats.totals.done, { exactly: true });
      await waitForStat(page, 'failed', stats.totals.failed, { exactly: true });
      await page.locator('#failed-jobs tr[data-type="justtcg.sets"][data-key="no-such-game"]').waitFor({ timeout: TIMEOUT });
      assert.equal(await page.locator(`#failed-jobs tr[data-job-id="${gamesJobId}"]`).count(), 0, 'the retried job stays off the list');
      assert.equal((await api.get(`/api/v1/jobs/${gamesJobId}`)).state, 'done');
    });

    await step('failed jobs download as failed-jobs.csv with their rows', async () => {
      const { name, text } = await download(page, '#export-failed');
      assert.equal(name, 'failed-jobs.csv');
      const csv = parseCsv(text);
      assert.equal(csv.header[0], 'id');
      assert.ok(csv.widths.every((w) => w === csv.header.length), 'every row has every column');
      const listed = (await api.get('/api/v1/jobs?state=failed&limit=200')).jobs.map((j) => String(j.id)).sort();
      assert.deepEqual(csv.records.map((r) => r.id).sort(), listed, 'the CSV holds exactly the failed jobs');
      const missing = csv.records.find((r) => r.key === 'no-such-game');
      assert.ok(missing, 'the no-such-game job is in the CSV');
      assert.equal(missing.type, 'justtcg.sets');
      assert.match(`${missing.last_http_status} ${missing.last_error}`, /404/);
      await page.locator('#failed-message').filter({ hasText: `Downloaded failed-jobs.csv (${csv.records.length} row` }).waitFor({ timeout: 5000 });
    });

    await step('quarantine downloads as quarantine.csv with its rows', async () => {
      let items = [];
      for (let before = ''; ; ) {
        const answer = await api.get(`/api/v1/quarantine?limit=100${before ? `&before_id=${before}` : ''}`);
        items = items.concat(answer.items);
        if (answer.next_before_id === null || answer.next_before_id === undefined) break;
        before = answer.next_before_id;
      }
      assert.ok(items.length > 0, 'the sandbox served invalid items, so something is quarantined');
      await page.locator('#quarantine tbody tr').first().waitFor({ timeout: TIMEOUT });
      const { name, text } = await download(page, '#export-quarantine');
      assert.equal(name, 'quarantine.csv');
      const csv = parseCsv(text);
      assert.ok(csv.header.includes('reason'), `header: ${csv.header}`);
      assert.ok(csv.widths.every((w) => w === csv.header.length), 'every row has every column');
      assert.equal(csv.records.length, items.length, 'one CSV row per quarantined item');
      if (csv.header.includes('id')) {
        assert.deepEqual(csv.records.map((r) => String(r.id)).sort(), items.map((i) => String(i.id)).sort());
      }
    });

    await step('logs filter by request id and by level', async () => {
      const list = page.locator('#log-list > li');
      await until('log lines of other requests on the page', async () =>
        (await list.evaluateAll((rows, id) => rows.filter((r) => r.dataset.requestId !== id).length, requestId)) > 0,
      );
      await page.getByLabel('Request id').fill(requestId);
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await page.locator('#logs-message').filter({ hasText: `for request ${requestId}` }).waitFor({ timeout: TIMEOUT });
      const shown = await list.evaluateAll((rows) => rows.map((r) => ({ id: r.dataset.id, requestId: r.dataset.requestId })));
      assert.ok(shown.length > 0, 'the enqueue request has log lines');
      assert.ok(shown.every((r) => r.requestId === requestId), `only lines of ${requestId}: ${JSON.stringify(shown)}`);
      const fromApi = (await api.get(`/api/v1/logs?request_id=${requestId}&level=info&limit=200`)).logs.map((l) => String(l.id));
      assert.deepEqual(shown.map((r) => r.id).sort(), fromApi.sort(), 'the page shows the lines the API has');

      await page.getByLabel('Level (at least)').selectOption('warn');
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await page.locator('#logs-message').filter({ hasText: 'at warn or above' }).waitFor({ timeout: TIMEOUT });
      const levels = await list.evaluateAll((rows) => rows.map((r) => r.dataset.level));
      assert.ok(levels.every((l) => l === 'warn' || l === 'error'), `levels: ${levels}`);
      // The games job warns that no-such-game is not listed upstream, under the enqueue's id.
      assert.ok(levels.length > 0, 'the warning about no-such-game is shown');

      await page.getByRole('button', { name: 'Clear', exact: true }).click();
      await page.locator('#logs-message').filter({ hasText: 'at info or above' }).waitFor({ timeout: TIMEOUT });
      assert.equal(await page.getByLabel('Request id').inputValue(), '');
    });

    await step('services show the breaker and the chart the records synced per minute', async () => {
      const service = page.locator('#services tr[data-service="justtcg"]');
      await service.waitFor({ timeout: TIMEOUT });
      assert.match(await service.innerText(), /closed|open|half open/);
      // `serve` samples the written-records total every 5 s and the page reloads its chart
      // every 15 s (sooner when the queue moves): wait until the counter has the sync's
      // records and the page shows what the counter says, whichever of the two lags.
      const perMinute = await until('the chart to show the records the sync wrote', async () => {
        const answer = await api.get('/api/v1/stats/records-per-minute?minutes=60');
        const total = answer.minutes.reduce((sum, m) => sum + m.records, 0);
        const shown = Number(await page.locator('#chart-summary').getAttribute('data-total'));
        return total > 0 && shown === total ? answer : null;
      }, 3 * TIMEOUT);
      assert.equal(await page.locator('#records-svg rect.bar').count(), perMinute.minutes.length);
      const drawn = await page.locator('#records-svg rect.bar').evaluateAll((bars) => bars.filter((b) => Number(b.getAttribute('height')) > 0).length);
      assert.ok(drawn > 0, 'at least one bar has a height');
      await page.screenshot({ path: join(artifacts, 'monitor-desktop.png'), fullPage: true });
    });

    await step('retry all requeues every failed job', async () => {
      const before = (await api.get('/api/v1/queue/stats')).totals.failed;
      assert.ok(before >= 1);
      await page.getByRole('button', { name: 'Retry all', exact: true }).click();
      await page.locator('#failed-message').filter({ hasText: `Requeued ${before} job` }).waitFor({ timeout: 5000 });
      // no-such-game fails again (upstream still 404s it): the list refills by itself.
      await page.locator('#failed-jobs tr[data-key="no-such-game"]').waitFor({ timeout: TIMEOUT });
    });

    await step('a viewer token reads but cannot retry', async () => {
      const viewer = await openPage(browser, stack.baseUrl, {}, cspNote);
      watch(viewer, 'viewer', problems);
      const viewerPage = await viewer.newPage();
      await signIn(viewerPage, stack.baseUrl, viewerToken);
      await viewerPage.locator('#failed-jobs tr[data-key="no-such-game"]').waitFor({ timeout: TIMEOUT });
      assert.ok(await viewerPage.getByRole('button', { name: 'Retry all', exact: true }).isDisabled());
      assert.ok(await viewerPage.locator('#failed-jobs tr[data-key="no-such-game"] button').isDisabled());
      await viewer.close();
    });

    await step('falls back to polling when the event stream fails', async () => {
      const polling = await openPage(browser, stack.baseUrl, {}, cspNote);
      watch(polling, 'polling', problems, (text) => /api\/v1\/events|ERR_FAILED/.test(text));
      await polling.route('**/api/v1/events**', (route) => route.abort());
      const pollPage = await polling.newPage();
      await signIn(pollPage, stack.baseUrl, operatorToken);
      await pollPage.locator('#connection[data-mode="polling"]').waitFor({ timeout: TIMEOUT });
      const doneBefore = await stat(pollPage, 'done');
      await api.call('POST', '/api/v1/syncs', { body: { provider: 'justtcg', spec: { mode: 'full', games: [games[1]] } }, expect: [202] });
      const stats = await until('the second sync to drain', async () => {
        const s = await api.get('/api/v1/queue/stats');
        return s.totals.queued === 0 && s.totals.processing === 0 && s.totals.done > doneBefore ? s : null;
      }, 60000);
      await pollPage.waitForFunction(
        (n) => Number(document.querySelector('[data-stat="done"]')?.dataset.value) >= n,
        stats.totals.done,
        { timeout: 10000 },
      );
      await polling.close();
    });

    await step('reads on a phone: no sideways scrolling', async () => {
      const phone = await openPage(
        browser,
        stack.baseUrl,
        { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
        cspNote,
      );
      watch(phone, 'phone', problems);
      const phonePage = await phone.newPage();
      await signIn(phonePage, stack.baseUrl, operatorToken);
      await phonePage.locator('#failed-jobs tr[data-key="no-such-game"]').waitFor({ timeout: TIMEOUT });
      await phonePage.locator('#log-list > li').first().waitFor({ timeout: TIMEOUT });
      const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page is ${overflow}px wider than the phone`);
      await phonePage.screenshot({ path: join(artifacts, 'monitor-phone.png'), fullPage: true });
      await phone.close();
    });

    await step('the lookup box answers a key with any provider that has lookups', async () => {
      const catalog = await api.get('/api/v1/lookup');
      const psa = catalog.providers.find((p) => p.provider === 'psa');
      assert.ok(psa, `psa offers a lookup: ${JSON.stringify(catalog)}`);
      const options = await page.locator('#lookup-target option').evaluateAll((nodes) => nodes.map((o) => ({ value: o.value, text: o.textContent })));
      assert.equal(options.length, catalog.providers.reduce((n, p) => n + p.lookups.length, 0));
      const certOption = options.find((o) => o.text.startsWith('psa:'));
      await page.locator('#lookup-target').selectOption(certOption.value);
      assert.match(await page.locator('#lookup-key').getAttribute('placeholder'), /e\.g\. /);
      // A sandbox cert ending in 1 has both images.
      await page.locator('#lookup-key').fill('1000 0501');
      await page.getByRole('button', { name: 'Look up', exact: true }).click();
      await page.locator('#lookup-result[data-status="fresh"]').waitFor({ timeout: TIMEOUT });
      assert.match(await page.locator('#lookup-message').innerText(), /psa cert 10000501: fresh/);
      assert.equal(await page.locator('#lookup-result ul.children[data-field="images"] > li').count(), 2);
      // A key the provider refuses is answered at once with the provider's reason (a 400,
      // which chromium logs as a failed resource: allowed in this context only).
      const refused = await openPage(browser, stack.baseUrl, {}, cspNote);
      watch(refused, 'lookup-refused', problems, (text) => /status of 400.*\/api\/v1\/lookup\//.test(text));
      const refusedPage = await refused.newPage();
      await signIn(refusedPage, stack.baseUrl, viewerToken);
      await refusedPage.locator('#lookup-target option').first().waitFor({ state: 'attached', timeout: TIMEOUT });
      await refusedPage.locator('#lookup-target').selectOption(certOption.value);
      await refusedPage.locator('#lookup-key').fill('abc');
      await refusedPage.getByRole('button', { name: 'Look up', exact: true }).click();
      await refusedPage.locator('#lookup-message[data-kind="error"]').filter({ hasText: 'abc' }).waitFor({ timeout: TIMEOUT });
      assert.equal(await refusedPage.locator('#lookup-result').innerText(), '');
      await refused.close();
    });

    await step('no console errors, uncaught exceptions or CSP violations', async () => {
      assert.deepEqual(problems, []);
      if (cspNote.missing) console.log(`NOTE: the server sent no Content-Security-Policy; the page was tested under: ${STRICT_CSP}`);
      else console.log(`Content-Security-Policy sent by the server: ${cspNote.sent}`);
    });
    await context.close();
  } finally {
    await browser.close();
    await stack.stop();
  }
});
