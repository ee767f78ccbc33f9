import { ApiError } from './api.js';
import { cell, el, setMessage, timeElement } from './dom.js';

const PAGE = 50;

// The failed-jobs list with a Retry button per job and Retry all. A retried job leaves the
// list at once; a reload that was already in flight when it was retried is discarded, so
// the job cannot flash back from a stale answer.
export class FailedJobsView {
  #api;
  #canRetry;
  #table;
  #body;
  #empty;
  #count;
  #message;
  #more;
  #retryAll;
  #generation = 0;
  #nextAfterId = null;

  constructor(api, root, canRetry) {
    this.#api = api;
    this.#canRetry = canRetry;
    this.#table = root.querySelector('#failed-jobs');
    this.#body = this.#table.querySelector('tbody');
    this.#empty = root.querySelector('#failed-empty');
    this.#count = root.querySelector('#failed-count');
    this.#message = root.querySelector('#failed-message');
    this.#more = root.querySelector('#failed-more');
    this.#retryAll = root.querySelector('#retry-all');
    this.#retryAll.disabled = !canRetry;
    if (!canRetry) this.#retryAll.title = 'Retrying needs an operator token';
  }

  // How many failed jobs the list shows, or null while more pages exist.
  get shown() {
    return this.#nextAfterId === null ? this.#body.rows.length : null;
  }

  async reload() {
    const generation = ++this.#generation;
    const page = await this.#api.getJson('/api/v1/jobs', { state: 'failed', limit: PAGE });
    if (generation !== this.#generation) return;
    this.#body.replaceChildren(...page.jobs.map((job) => this.#row(job)));
    this.#nextAfterId = page.next_after_id ?? null;
    this.#update();
  }

  async loadMore() {
    if (this.#nextAfterId === null) return;
    const generation = this.#generation;
    const page = await this.#api.getJson('/api/v1/jobs', { state: 'failed', limit: PAGE, after_id: this.#nextAfterId });
    if (generation !== this.#generation) return;
    const shown = new Set([...this.#body.rows].map((r) => r.dataset.jobId));
    this.#body.append(...page.jobs.filter((j) => !shown.has(String(j.id))).map((job) => this.#row(job)));
    this.#nextAfterId = page.next_after_id ?? null;
    this.#update();
  }

  async retry(job, button) {
    button.disabled = true;
    try {
      const result = await this.#api.postJson(`/api/v1/jobs/${encodeURIComponent(job.id)}/retry`);
      ++this.#generation;
      this.#remove(job.id);
      setMessage(this.#message, `Job ${job.id} (${job.type} ${job.key}) requeued${result.requeued === 0 ? ' (it was already queued)' : ''}.`, 'ok');
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_failed') {
        ++this.#generation;
        this.#remove(job.id);
        setMessage(this.#message, `Job ${job.id} is no longer failed.`, 'info');
      } else {
        button.disabled = false;
        setMessage(this.#message, `Retry of job ${job.id} failed: ${describe(error)}`, 'error');
      }
    }
  }

  async retryAll() {
    this.#retryAll.disabled = true;
    try {
      const result = await this.#api.postJson('/api/v1/jobs/retry-failed', {});
      ++this.#generation;
      this.#body.replaceChildren();
      this.#nextAfterId = null;
      this.#update();
      const skipped = result.skipped ? `, ${result.skipped} skipped` : '';
      setMessage(this.#message, `Requeued ${result.requeued} job${result.requeued === 1 ? '' : 's'}${skipped}.`, 'ok');
      // Jobs skipped (say, a live duplicate holds the key) are still failed: show them again.
      if (result.skipped) await this.reload();
    } catch (error) {
      setMessage(this.#message, `Retry all failed: ${describe(error)}`, 'error');
    } finally {
      this.#retryAll.disabled = !this.#canRetry || this.#body.rows.length === 0;
    }
  }

  #remove(id) {
    for (const row of [...this.#body.rows]) {
      if (row.dataset.jobId === String(id)) row.remove();
    }
    this.#update();
  }

  #update() {
    const n = this.#body.rows.length;
    this.#table.hidden = n === 0;
    this.#empty.hidden = n !== 0;
    this.#count.textContent = this.#nextAfterId === null ? String(n) : `${n}+`;
    this.#more.hidden = this.#nextAfterId === null;
    this.#retryAll.disabled = !this.#canRetry || n === 0;
  }

  #row(job) {
    const error = job.last_error;
    const retry = el('button', {
      type: 'button',
      class: 'small',
      'aria-label': `Retry job ${job.id} (${job.type} ${job.key})`,
      title: this.#canRetry ? undefined : 'Retrying needs an operator token',
      disabled: !this.#canRetry,
      text: 'Retry',
    });
    retry.addEventListener('click', () => this.retry(job, retry));
    return el(
      'tr',
      { dataset: { jobId: job.id, type: job.type, key: job.key } },
      cell('Job', String(job.id), { class: 'num' }),
      cell('Type', job.type),
      cell('Key', el('span', { class: 'mono', text: job.key })),
      cell('Attempts', `${job.attempts}/${job.max_attempts}`, { class: 'num' }),
      cell(
        'Last error',
        error
          ? [
              error.http_status ? el('span', { class: 'badge warn', text: `HTTP ${error.http_status}` }) : null,
              el('span', { class: 'error-text', text: ` ${error.message}` }),
            ]
          : el('span', { class: 'muted', text: 'no error recorded' }),
      ),
      cell('Failed at', timeElement(error?.at ?? job.updated_at)),
      cell('Action', retry),
    );
  }
}

export function describe(error) {
  if (error instanceof ApiError) {
    if (error.status === 403) return 'your token may only read (an operator token is needed).';
    return `${error.message} (${error.code}${error.requestId ? `, request ${error.requestId}` : ''})`;
  }
  return error?.message ?? String(error);
}
