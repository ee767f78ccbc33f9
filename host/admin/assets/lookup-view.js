import { el, setMessage } from './dom.js';

const STATUS_TEXT = {
  fresh: 'fresh',
  stale: 'stale (a refresh is queued)',
  not_found: 'not found upstream',
  queued: 'queued',
  invalid: 'invalid key',
  unavailable: 'unavailable',
};

// Looks one item up by key with any provider that declares lookups (/api/v1/lookup): a
// graded cert, a card by id. The answer comes from the server's cache, or is fetched.
export class LookupView {
  #api;
  #root;
  #kinds = [];

  constructor(api, root) {
    this.#api = api;
    this.#root = root;
  }

  async reload() {
    const { providers = [] } = await this.#api.getJson('/api/v1/lookup');
    this.#kinds = providers.flatMap((p) => p.lookups.map((l) => ({ provider: p.provider, ...l })));
    const select = this.#root.querySelector('#lookup-target');
    select.replaceChildren(
      ...this.#kinds.map((k, i) =>
        el('option', { value: String(i), text: `${k.provider}: ${k.description || k.kind}` }),
      ),
    );
    this.#root.querySelector('#lookup-form').hidden = this.#kinds.length === 0;
    this.#root.querySelector('#lookup-empty').hidden = this.#kinds.length !== 0;
    this.placeholder();
  }

  placeholder() {
    const k = this.#selected();
    this.#root.querySelector('#lookup-key').placeholder = k?.key_example ? `e.g. ${k.key_example}` : '';
  }

  #selected() {
    return this.#kinds[Number(this.#root.querySelector('#lookup-target').value)];
  }

  async lookup() {
    const k = this.#selected();
    const key = this.#root.querySelector('#lookup-key').value.trim();
    const message = this.#root.querySelector('#lookup-message');
    const result = this.#root.querySelector('#lookup-result');
    if (!k || !key) return;
    setMessage(message, `Looking up ${key}…`);
    result.replaceChildren();
    try {
      const path = `/api/v1/lookup/${encodeURIComponent(k.provider)}/${encodeURIComponent(key)}`;
      const answer = await this.#api.getJson(path, { kind: k.kind });
      this.#show(answer);
    } catch (error) {
      if (error?.status === 401) return;
      setMessage(message, `${k.provider} ${k.kind} ${key}: ${error.message}`, 'error');
    }
  }

  #show(answer) {
    const message = this.#root.querySelector('#lookup-message');
    const result = this.#root.querySelector('#lookup-result');
    const status = STATUS_TEXT[answer.status] ?? answer.status;
    const age = typeof answer.age_seconds === 'number' ? `, fetched ${answer.age_seconds} s ago` : '';
    const kind = answer.status === 'fresh' || answer.status === 'stale' ? 'ok' : 'info';
    setMessage(message, `${answer.provider} ${answer.kind} ${answer.key}: ${status}${age}${answer.message ? ` – ${answer.message}` : ''}`, kind);
    result.dataset.status = answer.status;
    if (!answer.data) return;
    const rows = [];
    const lists = [];
    for (const [name, value] of Object.entries(answer.data)) {
      if (Array.isArray(value)) lists.push([name, value]);
      else if (value !== null && typeof value !== 'object') rows.push(el('div', {}, el('dt', { text: name }), el('dd', { text: String(value) })));
    }
    result.append(el('dl', { class: 'fields' }, rows));
    for (const [name, items] of lists) {
      result.append(el('h3', { text: `${name} (${items.length})` }));
      result.append(
        el(
          'ul',
          { class: 'children', dataset: { field: name } },
          items.map((item) =>
            el(
              'li',
              {},
              Object.entries(item)
                .filter(([, v]) => v !== null && typeof v !== 'object')
                .map(([n, v]) => `${n}: ${v}`)
                .join(' · '),
            ),
          ),
        ),
      );
    }
  }
}
