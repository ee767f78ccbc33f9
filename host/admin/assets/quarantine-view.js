import { cell, el, timeElement } from './dom.js';

const SHOWN = 10;

// The most recently quarantined upstream items; the CSV export has all of them.
export class QuarantineView {
  #api;
  #table;
  #empty;

  constructor(api, root) {
    this.#api = api;
    this.#table = root.querySelector('#quarantine');
    this.#empty = root.querySelector('#quarantine-empty');
  }

  async reload() {
    const { items = [] } = await this.#api.getJson('/api/v1/quarantine', { limit: SHOWN });
    const rows = items.map((q) =>
      el(
        'tr',
        { dataset: { quarantineId: q.id } },
        cell('When', timeElement(q.at)),
        cell('Source', q.source),
        cell('Job', el('span', { class: 'mono', text: `${q.job_type} ${q.job_key}` })),
        cell('Reason', q.reason),
        cell('Path', el('span', { class: 'mono', text: q.json_path || '–' })),
      ),
    );
    this.#table.tBodies[0].replaceChildren(...rows);
    this.#table.hidden = rows.length === 0;
    this.#empty.hidden = rows.length !== 0;
  }
}
