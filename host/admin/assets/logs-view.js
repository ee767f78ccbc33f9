import { el, formatTime } from './dom.js';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];
const KEEP = 200;

// Recent log lines, newest first, filtered by minimum level and request id. Lines come from
// a reload (GET /api/v1/logs), then live from the event stream or from polling after the
// newest id seen; ids de-duplicate the two sources.
export class LogsView {
  #api;
  #list;
  #ids = new Set();
  #lastId = 0;
  #generation = 0;
  filter = { level: 'info', request_id: '' };

  constructor(api, root, onPickRequestId) {
    this.#api = api;
    this.#list = root.querySelector('#log-list');
    this.onPickRequestId = onPickRequestId;
  }

  // The query the server filters by, for both the list and the event stream.
  query() {
    return { level: this.filter.level, request_id: this.filter.request_id };
  }

  // Without after_id the server answers the newest lines (oldest of them first).
  async reload() {
    const generation = ++this.#generation;
    const answer = await this.#api.getJson('/api/v1/logs', { ...this.query(), limit: KEEP });
    if (generation !== this.#generation) return;
    this.#ids.clear();
    this.#lastId = 0;
    this.#list.replaceChildren();
    this.add(answer.logs ?? []);
  }

  async poll() {
    const generation = this.#generation;
    const answer = await this.#api.getJson('/api/v1/logs', { ...this.query(), after_id: this.#lastId || undefined, limit: KEEP });
    if (generation === this.#generation) this.add(answer.logs ?? []);
  }

  add(lines) {
    const fresh = lines.filter((line) => !this.#ids.has(line.id) && this.#matches(line)).sort((a, b) => a.id - b.id);
    for (const line of fresh) {
      this.#ids.add(line.id);
      this.#lastId = Math.max(this.#lastId, line.id);
      this.#list.prepend(this.#item(line));
    }
    while (this.#list.children.length > KEEP) {
      const oldest = this.#list.lastElementChild;
      this.#ids.delete(Number(oldest.dataset.id));
      oldest.remove();
    }
    this.#list.dataset.count = String(this.#list.children.length);
    if (this.#list.children.length === 0) this.#list.dataset.empty = 'No log lines match.';
  }

  #matches(line) {
    const min = LEVELS.indexOf(this.filter.level);
    if (min > 0 && LEVELS.indexOf(line.level) < min) return false;
    return !this.filter.request_id || line.request_id === this.filter.request_id;
  }

  #item(line) {
    const fields = Object.entries(line.fields ?? {}).map(([k, v]) =>
      el('span', { class: 'field' }, el('span', { class: 'field-name', text: `${k}=` }), typeof v === 'string' ? v : JSON.stringify(v)),
    );
    const requestId = line.request_id
      ? el('button', {
          type: 'button',
          class: 'link request-id',
          title: 'Show only this request',
          'aria-label': `Show only the logs of request ${line.request_id}`,
          text: line.request_id,
          onclick: () => this.onPickRequestId(line.request_id),
        })
      : null;
    return el(
      'li',
      { class: `log level-${line.level}`, dataset: { id: line.id, level: line.level, requestId: line.request_id ?? '' } },
      el('time', { datetime: line.ts, class: 'log-time', text: formatTime(line.ts) }),
      el('span', { class: `badge level level-${line.level}`, text: line.level }),
      requestId,
      el('span', { class: 'log-msg', text: line.msg }),
      fields.length ? el('span', { class: 'log-fields' }, fields) : null,
    );
  }
}
