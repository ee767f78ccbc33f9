import { readEventStream } from './event-stream.js';

const STALL_MS = 15000;

// Keeps the page fed: the event stream while it works, else polling every pollMs, trying
// the stream again after retryStreamMs. onMode reports 'live', 'polling' or 'offline'.
export class LiveFeed {
  #openStream;
  #onEvent;
  #poll;
  #onMode;
  #pollMs;
  #retryStreamMs;
  #abort = null;
  #pollTimer = 0;
  #retryTimer = 0;
  #stopped = true;
  #live = false;

  constructor({ openStream, onEvent, poll, onMode, pollMs = 4000, retryStreamMs = 30000 }) {
    this.#openStream = openStream;
    this.#onEvent = onEvent;
    this.#poll = poll;
    this.#onMode = onMode;
    this.#pollMs = pollMs;
    this.#retryStreamMs = retryStreamMs;
  }

  start() {
    this.#stopped = false;
    this.#connect();
  }

  stop() {
    this.#stopped = true;
    this.#live = false;
    this.#abort?.abort();
    this.#abort = null;
    clearTimeout(this.#pollTimer);
    clearTimeout(this.#retryTimer);
  }

  // Reopens the stream, e.g. when its query (the log filter) changed.
  restart() {
    this.stop();
    this.start();
  }

  async #connect() {
    const abort = new AbortController();
    this.#abort = abort;
    // The server sends stats every 2 s: a stream silent for much longer is stuck behind
    // something (a proxy buffering it, a hung connection), so polling takes over.
    let watchdog = 0;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => abort.abort(new Error('the event stream went silent')), STALL_MS);
    };
    arm();
    try {
      const response = await this.#openStream(abort.signal);
      const type = response.headers.get('Content-Type') ?? '';
      if (!type.startsWith('text/event-stream')) throw new Error(`unexpected ${type || 'untyped'} stream`);
      this.#live = true;
      clearTimeout(this.#pollTimer);
      this.#onMode('live');
      await readEventStream(response, (event, data) => {
        if (abort.signal.aborted) return;
        arm();
        this.#onEvent(event, data);
      });
      throw new Error('the event stream ended');
    } catch (error) {
      clearTimeout(watchdog);
      // Our own stop() aborts without a reason worth reporting; the watchdog's is one.
      if (this.#abort === abort && !this.#stopped) this.#fallBack(abort.signal.reason ?? error);
    }
  }

  #fallBack(error) {
    this.#live = false;
    if (this.#stopped) return;
    if (error?.status === 401) return;  // the page is already asking for a new token
    this.#onMode('polling', error);
    this.#schedulePoll(0);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      if (!this.#stopped) this.#connect();
    }, this.#retryStreamMs);
  }

  #schedulePoll(delay) {
    clearTimeout(this.#pollTimer);
    this.#pollTimer = setTimeout(async () => {
      if (this.#stopped || this.#live) return;
      try {
        await this.#poll();
        if (!this.#stopped && !this.#live) this.#onMode('polling');
      } catch (error) {
        if (error?.status === 401 || this.#stopped) return;
        if (!this.#live) this.#onMode('offline', error);
      }
      if (!this.#stopped && !this.#live) this.#schedulePoll(this.#pollMs);
    }, delay);
  }
}
