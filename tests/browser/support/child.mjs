// Child processes of the test (the sandbox upstream, `cardsync serve`): output kept for the
// failure report, and every child ended when the test ends, however it ends.
import { spawn } from 'node:child_process';

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class Child {
  constructor(name, command, args, options = {}) {
    this.name = name;
    this.output = '';
    this.exited = null;
    this.process = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    running.add(this.process);
    const collect = (chunk) => {
      this.output += chunk.toString();
      if (this.output.length > 2_000_000) this.output = this.output.slice(-1_000_000);
    };
    this.process.stdout.on('data', collect);
    this.process.stderr.on('data', collect);
    this.done = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        running.delete(this.process);
        this.exited = { code, signal };
        resolve(this.exited);
      });
      this.process.on('error', (error) => {
        running.delete(this.process);
        this.exited = { code: null, signal: null, error };
        resolve(this.exited);
      });
    });
  }

  // Resolves with the first match of pattern in the child's output.
  async waitFor(pattern, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (this.exited) throw new Error(`${this.name} exited (${JSON.stringify(this.exited)}) before printing ${pattern}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  tail(chars = 4000) {
    return this.output.slice(-chars);
  }

  async stop(timeoutMs = 10000) {
    if (this.exited) return this.exited;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
    const result = await this.done;
    clearTimeout(timer);
    return result;
  }
}
