import { cell, el, formatCount, formatSeconds, timeElement } from './dom.js';

const STATES = ['queued', 'processing', 'done', 'failed'];

// Renders /api/v1/queue/stats. render() returns true when the totals changed, which is the
// page's cue to reload the lists that depend on them (failed jobs, chart, quarantine).
export class QueueView {
  #root;
  #last = '';

  constructor(root) {
    this.#root = root;
  }

  render(stats) {
    const totals = stats.totals ?? {};
    for (const state of STATES) {
      const node = this.#root.querySelector(`[data-stat="${state}"]`);
      node.textContent = formatCount(totals[state] ?? 0);
      node.dataset.value = String(totals[state] ?? 0);
    }
    this.#root.querySelector('#queue-lag').textContent = formatSeconds(stats.lag_seconds);
    const updated = this.#root.querySelector('#queue-updated');
    const now = new Date();
    updated.dateTime = now.toISOString();
    updated.textContent = now.toLocaleTimeString();

    const body = this.#root.querySelector('#by-type tbody');
    const rows = (stats.by_type ?? []).map((t) =>
      el(
        'tr',
        { dataset: { type: t.type } },
        el('th', { scope: 'row', dataset: { label: 'Type' }, text: t.type }),
        ...STATES.map((s) => cell(capitalize(s), formatCount(t[s] ?? 0), { class: 'num' })),
        cell('Next run', timeElement(t.next_run_at)),
      ),
    );
    if (rows.length === 0) {
      rows.push(el('tr', {}, el('td', { colspan: 6, class: 'muted', text: 'The queue is empty.' })));
    }
    body.replaceChildren(...rows);

    const key = JSON.stringify([totals, (stats.by_type ?? []).map((t) => [t.type, t.failed, t.done])]);
    const changed = key !== this.#last;
    this.#last = key;
    return changed;
  }
}

function capitalize(word) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
