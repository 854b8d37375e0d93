// Backend: a real drone-backend process with the HTTP gateway on a free loopback port, in its own data directory.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class Backend {
  /// Starts `binary --http 0 --data-dir TMP ...args` and resolves once it printed its address.
  static async start(binary, args, { timeoutMs = 30000, files = {} } = {}) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-openapi-'));
    const resolved = args.map((arg) => arg.replace('{dir}', dataDir));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dataDir, name), text);
    const child = spawn(binary, ['--http', '0', '--data-dir', path.join(dataDir, 'data'), ...resolved], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const backend = new Backend(child, dataDir);
    backend.url = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no "listening" line within ${timeoutMs} ms\n${backend.log()}`)), timeoutMs);
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /listening (http:\/\/[^\s]+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`drone-backend exited (${code ?? signal}) before listening\n${backend.log()}`));
      });
    });
    return backend;
  }

  constructor(child, dataDir) {
    this.child = child;
    this.dataDir = dataDir;
    this.stderr = '';
    child.stderr.on('data', (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-8000); // the tail, for a failure's report
    });
    this.exited = new Promise((resolve) => child.once('exit', resolve));
  }

  log() {
    return `--- drone-backend stderr (tail) ---\n${this.stderr}`;
  }

  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 10000);
      await this.exited;
      clearTimeout(killer);
    }
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
