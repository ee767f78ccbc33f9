// One place that talks to /api/v1: adds the bearer token, turns the API's error envelope
// into an ApiError, and reports a 401 once so the page can ask for a new token.

export class ApiError extends Error {
  constructor(status, code, message, requestId) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

export class ApiClient {
  #token;
  #onUnauthorized;

  constructor(token, onUnauthorized) {
    this.#token = token;
    this.#onUnauthorized = onUnauthorized;
  }

  headers(extra = {}) {
    return { Authorization: `Bearer ${this.#token}`, ...extra };
  }

  async getJson(path, params = {}) {
    const response = await this.request('GET', withQuery(path, params));
    return response.json();
  }

  // Always a JSON body, `{}` when there is nothing to say: the server refuses a POST of any
  // other type, which is what a page on another site could send without a preflight.
  async postJson(path, body = {}) {
    const response = await this.request('POST', path, { body: JSON.stringify(body) });
    return response.json();
  }

  async getBlob(path) {
    const response = await this.request('GET', path);
    return response.blob();
  }

  // Returns the open response of a long-lived GET (the event stream); the caller reads it.
  async open(path, params, signal) {
    return this.request('GET', withQuery(path, params), { signal, accept: 'text/event-stream' });
  }

  async request(method, path, { body, signal, accept = 'application/json' } = {}) {
    const headers = this.headers({ Accept: accept });
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body,
      signal,
      cache: 'no-store',
      credentials: 'same-origin',
    });
    if (response.ok) return response;
    const error = await errorOf(response);
    if (response.status === 401) this.#onUnauthorized(error);
    throw error;
  }
}

export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

async function errorOf(response) {
  const requestId = response.headers.get('X-Request-Id') ?? '';
  let code = `http_${response.status}`;
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = await response.json();
    if (body && body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
    }
  } catch {
    // Not the JSON error envelope (a proxy's page, say): keep the status line.
  }
  return new ApiError(response.status, code, message, requestId);
}
