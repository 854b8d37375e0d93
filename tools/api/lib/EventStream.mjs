// EventStream: a minimal WebSocket client over a raw socket, so the 101 answer and close codes can be checked too.
import crypto from 'node:crypto';
import net from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'; // RFC 6455

export class EventStream {
  /// Sends the upgrade request for `path` (with `headers`) and resolves once the answer's head arrived.
  static open(baseUrl, path, headers = {}) {
    const url = new URL(baseUrl);
    const key = crypto.randomBytes(16).toString('base64');
    const stream = new EventStream(key);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname);
      stream.socket = socket;
      const timer = setTimeout(() => reject(new Error('no answer to the WebSocket upgrade within 10 s')), 10000);
      socket.once('error', reject);
      socket.on('connect', () => {
        const lines = [`GET ${path} HTTP/1.1`, `Host: ${url.host}`, 'Upgrade: websocket', 'Connection: Upgrade',
          `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13',
          ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      });
      socket.on('data', (chunk) => {
        stream.buffer = Buffer.concat([stream.buffer, chunk]);
        if (stream.status === undefined) {
          const end = stream.buffer.indexOf('\r\n\r\n');
          if (end < 0) return;
          stream.readHead(stream.buffer.subarray(0, end).toString('latin1'));
          stream.buffer = stream.buffer.subarray(end + 4);
          clearTimeout(timer);
          resolve(stream);
        }
        stream.readFrames();
      });
      socket.on('close', () => {
        stream.closed = true;
        stream.wake();
      });
    });
  }

  constructor(key) {
    this.key = key;
    this.buffer = Buffer.alloc(0);
    this.messages = [];
    this.closeCode = undefined;
    this.closed = false;
    this.waiters = [];
  }

  readHead(head) {
    const [statusLine, ...lines] = head.split('\r\n');
    this.status = Number(statusLine.split(' ')[1]);
    this.headers = new Headers();
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) this.headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
  }

  /// The Sec-WebSocket-Accept a correct server sends for our key.
  expectedAccept() {
    return crypto.createHash('sha1').update(this.key + GUID).digest('base64');
  }

  readFrames() {
    if (this.status !== 101) return;
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      const opcode = b[0] & 0x0f;
      let length = b[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) return;
      const payload = b.subarray(offset, offset + length);
      this.buffer = b.subarray(offset + length);
      if (opcode === 1) this.messages.push(payload.toString('utf8'));
      else if (opcode === 8) this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      // Fragmented messages are not used by the gateway (QWebSocket sends whole frames below 512 KiB).
      this.wake();
    }
  }

  wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /// Resolves when `done(this)` is true, or after `timeoutMs` (then `done` may still be false).
  until(done, timeoutMs) {
    return new Promise((resolve) => {
      const deadline = Date.now() + timeoutMs;
      const check = () => {
        if (done(this) || this.closed || Date.now() >= deadline) {
          clearTimeout(timer);
          resolve(done(this));
        } else this.waiters.push(check);
      };
      const timer = setTimeout(() => this.wake(), timeoutMs);
      check();
    });
  }

  close() {
    if (this.closed) return;
    const mask = crypto.randomBytes(4);
    const payload = Buffer.from([0x03, 0xe8]); // 1000, normal closure
    const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
    this.socket.end(Buffer.concat([Buffer.from([0x88, 0x80 | payload.length]), mask, masked]));
  }
}
