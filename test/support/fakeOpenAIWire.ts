// HTTP and SSE plumbing shared by the fake OpenAI and Anthropic servers, and narrowing of untyped JSON from the wire.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A JSON object from the wire, narrowed field by field where used. */
export type JsonObject = Record<string, unknown>;

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

/** One SSE event; the Responses API names its events, Chat Completions does not. */
export function writeSse(res: ServerResponse, data: unknown, event?: string): void {
  res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
}

/** Word-sized pieces, the way a model streams (keeps the spaces so the pieces join back to the text). */
export function splitForStreaming(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [''];
}

export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(isObject)
    .map((part) => (typeof part.text === 'string' ? part.text : ''))
    .join('');
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  receivedAt: Date;
}

/** Reads a request whole and records it (the fakes keep every request for the tests to inspect). */
export async function recordRequest(req: IncomingMessage, requests: RecordedRequest[]): Promise<RecordedRequest> {
  const raw = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const recorded = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], headers, body: parseBody(raw), receivedAt: new Date() };
  requests.push(recorded);
  return recorded;
}

function parseBody(raw: string): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw; // kept as text so the caller sees exactly what was sent; the fakes answer it with a 400
  }
}

/** A fake's HTTP server on `host` (loopback unless asked), `port` 0 for a free one. */
export async function listenFake(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  host: string,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets from SDK clients would hold close() open otherwise.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
