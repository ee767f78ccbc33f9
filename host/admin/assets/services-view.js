import { cell, el, formatCount, formatSeconds, timeElement } from './dom.js';

const BREAKER_TEXT = { closed: 'closed', open: 'open', half_open: 'half open' };

// Breaker and quota state per upstream service (/api/v1/breakers).
export class ServicesView {
  #api;
  #table;
  #empty;

  constructor(api, root) {
    this.#api = api;
    this.#table = root.querySelector('#services');
    this.#empty = root.querySelector('#services-empty');
  }

  async reload() {
    const { services = [] } = await this.#api.getJson('/api/v1/breakers');
    const rows = services.map((s) => {
      const quota = s.quota;
      const quotaText = quotaOf(s.quota);
      const remaining = s.state === 'closed' ? '–' : formatSeconds(s.open_remaining_seconds);
      return el(
        'tr',
        { dataset: { service: s.service, state: s.state } },
        el('th', { scope: 'row', dataset: { label: 'Service' }, text: s.service }),
        cell('Breaker', el('span', { class: `badge breaker-${s.state}`, text: BREAKER_TEXT[s.state] ?? s.state })),
        cell('Failure rate', typeof s.failure_rate === 'number' ? `${(s.failure_rate * 100).toFixed(1)} %` : '–', { class: 'num' }),
        cell('Open for', remaining, { class: 'num' }),
        cell('Quota', quotaText),
        cell('Quota resets', quota?.resets_at ? timeElement(quota.resets_at) : '–'),
      );
    });
    this.#table.tBodies[0].replaceChildren(...rows);
    this.#table.hidden = rows.length === 0;
    this.#empty.hidden = rows.length !== 0;
  }
}

function quotaOf(quota) {
  if (!quota) return 'not tracked';
  if (typeof quota.daily_limit === 'number') {
    return `${formatCount(quota.used)} of ${formatCount(quota.daily_limit)} used today`;
  }
  // No configured quota, but the upstream reports what is left of its own.
  if (typeof quota.remaining === 'number') return `${formatCount(quota.remaining)} left today`;
  return 'no daily limit';
}
