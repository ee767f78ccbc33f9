// The monitor page: asks for a token once per tab, then keeps every section current from
// the event stream (or polling) and a few slower timers. No framework, no build step.
import { ApiClient } from './api.js';
import { renderChart } from './chart.js';
import { downloadCsv } from './csv-download.js';
import { setMessage } from './dom.js';
import { describe, FailedJobsView } from './failed-jobs-view.js';
import { LiveFeed } from './live-feed.js';
import { LogsView } from './logs-view.js';
import { LookupView } from './lookup-view.js';
import { QuarantineView } from './quarantine-view.js';
import { QueueView } from './queue-view.js';
import { ServicesView } from './services-view.js';
import { clearToken, loadToken, roleOf, saveToken } from './session.js';

const SLOW_REFRESH_MS = 15000;
const $ = (selector) => document.querySelector(selector);

let session = null;

class Session {
  constructor(token) {
    this.api = new ApiClient(token, (error) => {
      if (session === this) signOut(`The server refused the token (${error.message}). Enter a valid token.`);
    });
    const dashboard = $('#dashboard');
    this.role = roleOf(token);
    this.queue = new QueueView(dashboard);
    this.failed = new FailedJobsView(this.api, dashboard, this.role !== 'viewer');
    this.services = new ServicesView(this.api, dashboard);
    this.quarantine = new QuarantineView(this.api, dashboard);
    this.lookup = new LookupView(this.api, dashboard);
    this.logs = new LogsView(this.api, dashboard, (id) => this.filterLogs({ request_id: id }));
    this.timers = [];
    this.lastSlow = 0;
    this.feed = new LiveFeed({
      openStream: (signal) => this.api.open('/api/v1/events', this.logs.query(), signal),
      onEvent: (type, data) => this.onEvent(type, data),
      poll: () => this.poll(),
      onMode: (mode, error) => showConnection(mode, error),
    });
  }

  async start() {
    // The first call doubles as the token check: a 401 here brings the form straight back.
    const stats = await this.api.getJson('/api/v1/queue/stats');
    if (session !== this) return;
    showDashboard(this.role);
    this.queue.render(stats);
    this.feed.start();
    await Promise.all([
      this.guard(this.failed.reload(), '#failed-message'),
      this.guard(this.logs.reload(), '#logs-message'),
      this.guard(this.lookup.reload(), '#lookup-message'),
      this.refreshSlow(),
    ]);
    this.timers.push(setInterval(() => this.refreshSlow(), SLOW_REFRESH_MS));
    this.resize = new ResizeObserver(() => {
      if (this.minutes) renderChart($('#records-svg'), $('#chart-summary'), this.minutes);
    });
    this.resize.observe($('#records-chart'));
  }

  stop() {
    this.feed.stop();
    this.timers.forEach(clearInterval);
    clearTimeout(this.failedTimer);
    this.resize?.disconnect();
  }

  onEvent(type, data) {
    let payload;
    try {
      payload = JSON.parse(data);
    } catch {
      return;  // a malformed event is skipped; the next stats event repairs the view
    }
    if (type === 'stats') this.onStats(payload);
    else if (type === 'log') this.logs.add([payload]);
  }

  async poll() {
    this.onStats(await this.api.getJson('/api/v1/queue/stats'));
    await this.logs.poll();
  }

  onStats(stats) {
    const changed = this.queue.render(stats);
    // A job retried and failed again between two stats leaves the totals as they were, so
    // the list is also reloaded whenever it disagrees with the failed total.
    const shown = this.failed.shown;
    const stale = shown !== null && shown !== (stats.totals?.failed ?? 0);
    if (!changed && !stale) return;
    // Totals move in bursts while a sync runs: reload the failed list once the burst settles
    // a little, and the slower sections at most every few seconds.
    clearTimeout(this.failedTimer);
    this.failedTimer = setTimeout(() => this.guard(this.failed.reload(), '#failed-message'), 250);
    if (changed && Date.now() - this.lastSlow > 3000) this.refreshSlow();
  }

  async refreshSlow() {
    this.lastSlow = Date.now();
    await Promise.all([
      this.guard(this.services.reload(), '#services-message'),
      this.guard(this.quarantine.reload(), '#quarantine-message'),
      this.guard(
        this.api.getJson('/api/v1/stats/records-per-minute', { minutes: 60 }).then((answer) => {
          if (session !== this) return;
          this.minutes = answer.minutes;
          renderChart($('#records-svg'), $('#chart-summary'), answer.minutes);
        }),
        '#chart-summary',
      ),
    ]);
  }

  async filterLogs(change) {
    Object.assign(this.logs.filter, change);
    $('#log-level').value = this.logs.filter.level;
    $('#log-request-id').value = this.logs.filter.request_id;
    setMessage($('#logs-message'), '');
    this.feed.restart();
    await this.guard(this.logs.reload(), '#logs-message');
    const shown = $('#log-list').children.length;
    const what = this.logs.filter.request_id ? ` for request ${this.logs.filter.request_id}` : '';
    setMessage($('#logs-message'), `${shown} line${shown === 1 ? '' : 's'}${what} at ${this.logs.filter.level} or above.`);
  }

  async export(path, filename, messageSelector) {
    const node = $(messageSelector);
    setMessage(node, `Preparing ${filename}…`);
    try {
      const { rows } = await downloadCsv(this.api, path, filename);
      setMessage(node, `Downloaded ${filename} (${rows} row${rows === 1 ? '' : 's'}).`, 'ok');
    } catch (error) {
      if (error?.status !== 401) setMessage(node, `Export failed: ${describe(error)}`, 'error');
    }
  }

  // Errors of one section are shown in that section; a 401 is handled once, by signOut.
  async guard(promise, selector) {
    try {
      await promise;
    } catch (error) {
      if (error?.status === 401 || session !== this) return;
      const node = $(selector);
      if (node) setMessage(node, `Could not load: ${describe(error)}`, 'error');
    }
  }
}

function showConnection(mode, error) {
  const node = $('#connection');
  node.dataset.mode = mode;
  if (mode === 'live') node.textContent = 'Live';
  else if (mode === 'polling') node.textContent = 'Polling every 4 s';
  else node.textContent = `Offline: ${error?.message ?? 'no answer'}`;
  node.title = error ? `Live updates unavailable: ${error.message ?? error}` : '';
}

function showDashboard(role) {
  $('#login').hidden = true;
  $('#dashboard').hidden = false;
  $('#sign-out').hidden = false;
  $('#sign-out').textContent = role ? `Sign out (${role})` : 'Sign out';
}

function showLogin(message, kind = 'error') {
  $('#dashboard').hidden = true;
  $('#sign-out').hidden = true;
  $('#login').hidden = false;
  setMessage($('#login-message'), message, kind);
  showConnection('offline', { message: 'signed out' });
  $('#token-input').value = '';
  $('#token-input').focus();
}

function signOut(message, kind) {
  session?.stop();
  session = null;
  clearToken();
  showLogin(message, kind);
}

async function signIn(token) {
  session?.stop();
  session = new Session(token);
  const current = session;
  try {
    await current.start();
  } catch (error) {
    if (session !== current || error?.status === 401) return;
    // Anything but a 401 (server down, 5xx) keeps the token: show the page and keep trying.
    showDashboard(current.role);
    showConnection('offline', error);
    current.feed.start();
  }
}

function wire() {
  $('#login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('#token-input').value.trim().replace(/^Bearer\s+/i, '');
    if (!token) return;
    saveToken(token);
    setMessage($('#login-message'), '');
    signIn(token);
  });
  $('#sign-out').addEventListener('click', () => signOut('Signed out.', 'info'));
  $('#retry-all').addEventListener('click', () => session?.failed.retryAll());
  $('#failed-more').addEventListener('click', () => session?.guard(session.failed.loadMore(), '#failed-message'));
  $('#export-failed').addEventListener('click', () => session?.export('/api/v1/jobs/failed.csv', 'failed-jobs.csv', '#failed-message'));
  $('#export-quarantine').addEventListener('click', () =>
    session?.export('/api/v1/quarantine.csv', 'quarantine.csv', '#quarantine-message'),
  );
  $('#log-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    session?.filterLogs({ level: $('#log-level').value, request_id: $('#log-request-id').value.trim() });
  });
  $('#lookup-form').addEventListener('submit', (event) => {
    event.preventDefault();
    session?.lookup.lookup();
  });
  $('#lookup-target').addEventListener('change', () => session?.lookup.placeholder());
  $('#log-clear').addEventListener('click', () => session?.filterLogs({ level: 'info', request_id: '' }));
}

wire();
const saved = loadToken();
if (saved) signIn(saved);
else showLogin('', 'info');
