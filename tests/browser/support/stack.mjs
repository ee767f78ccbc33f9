// The system under test: the sandbox upstream and the real `cardsync serve` pointed at it,
// with a scratch SQLite database and an HS256 secret.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child } from './child.mjs';

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startStack({ cardsync, sandbox, secret }) {
  const dir = await mkdtemp(join(tmpdir(), 'cardsync-browser-'));
  const upstream = new Child('cardsync-sandbox', sandbox, [
    '--port', '0', '--seed', '7', '--games', '2', '--sets-per-game', '2', '--cards-per-set', '12',
    '--variants-per-card', '2', '--invalid-rate', '0.25',
  ]);
  const [, upstreamPort] = await upstream.waitFor(/listening on 127\.0\.0\.1:(\d+)/, 15000);
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;

  const port = await freePort();
  const config = {
    providers: {
      // No sync at start: the test enqueues its own through the API.
      justtcg: {
        base_url: `${upstreamUrl}/v1`, api_key: 'tcg_sandbox', plan: 'enterprise', mode: 'full', schedule: { on_start: false },
      },
      // Lookups only (the monitor's lookup box): nothing to sync.
      psa: { base_url: `${upstreamUrl}/publicapi`, token: 'psa_sandbox', schedule: { on_start: false } },
    },
    storage: { sqlite: { path: join(dir, 'cardsync.db') } },
    // One attempt: a job that meets an upstream outage is failed at once, which is what the
    // retry button is tested on.
    pipeline: {
      workers: 2, idle_poll_ms: 50, lease_seconds: 10, max_attempts: 1, retry_base_ms: 50, retry_cap_ms: 200,
      drain_wait_seconds: 5, progress_seconds: 1, batch: { max_age_ms: 50 },
    },
    resilience: {
      http: { connect_timeout_seconds: 2, total_timeout_seconds: 5 },
      retry: { max_retries: 1, base_delay_seconds: 0.05, max_delay_seconds: 0.1, max_wait_seconds: 1 },
    },
    log: { level: 'info', format: 'json' },
    admin: { listen: `127.0.0.1:${port}`, auth: { algorithm: 'HS256', hs256_secret: secret } },
  };
  const configPath = join(dir, 'cardsync.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));

  const server = new Child('cardsync serve', cardsync, ['--config', configPath, 'serve'], { cwd: dir });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (server.exited) throw new Error(`cardsync serve exited (${JSON.stringify(server.exited)}):\n${server.tail()}`);
    try {
      const health = await fetch(`${baseUrl}/healthz`);
      if (health.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`cardsync serve did not answer /healthz within 30 s:\n${server.tail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    baseUrl,
    upstreamUrl,
    // A token as a user gets one: `cardsync token create` with the server's own config.
    token(role, subject = 'browser-test') {
      const result = spawnSync(cardsync, ['--config', configPath, 'token', 'create', '--role', role, '--subject', subject], {
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(`cardsync token create exited ${result.status}: ${result.stderr}`);
      return result.stdout.trim();
    },
    server,
    upstream,
    dir,
    async stop() {
      await server.stop();
      await upstream.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
