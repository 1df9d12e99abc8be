// An OTLP/HTTP upstream for forwarding tests: a real HTTP server on loopback that records what it
// receives (bodies inflated when gzipped) and answers as each test tells it to.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface UpstreamRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** As sent on the wire. */
  wire: Buffer;
  /** Inflated when the request was gzipped. */
  body: Buffer;
}

/** How to answer one request: a status, headers and a body; 'hang' never answers. */
export type UpstreamAnswer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export class FakeUpstream {
  readonly requests: UpstreamRequest[] = [];
  /** Answers for the next requests, in order; once used up, every request gets 200. */
  readonly answers: UpstreamAnswer[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const wire = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
      this.requests.push({ path: req.url ?? '', headers: req.headers, wire, body });
      const answer = this.answers.shift() ?? { status: 200 };
      if (answer === 'hang') return;
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });

  static async start(port = 0): Promise<FakeUpstream> {
    const upstream = new FakeUpstream();
    await new Promise<void>((resolve, reject) => {
      upstream.server.once('error', reject);
      upstream.server.listen(port, '127.0.0.1', resolve);
    });
    return upstream;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async waitForRequests(count: number, timeoutMs = 10_000): Promise<UpstreamRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`the upstream got ${this.requests.length} of ${count} requests`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.requests;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
