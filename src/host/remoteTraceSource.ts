// A follower window's view of the owner window's store, over the owner's loopback JSON API:
// reads with fetch, live changes from the server-sent event stream at /api/events.
import http from 'node:http';
import { Emitter, type Event } from '../base/emitter';
import type { Span, TraceChange, TraceDetail, TraceList, TraceQuery, TraceSummary } from '../protocol/model';
import type { TraceSource } from './traceSource';
import { notificationText } from '../base/notificationText';

const RECONNECT_MS = 1000;

export class RemoteTraceSource implements TraceSource {
  private readonly changes = new Emitter<TraceChange>();
  readonly onDidChangeTraces: Event<TraceChange> = this.changes.event;
  private request: http.ClientRequest | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly baseUrl: string,
    private readonly authToken?: string,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    this.connect();
  }

  async listTraces(query: TraceQuery): Promise<TraceList> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    return (await this.call<TraceList>('GET', `/api/traces?${params}`)) ?? { traces: [], total: 0 };
  }
  /** One request: the owner's API has no partial read, so the whole trace is the answer (no head). */
  getTrace(traceId: string): Promise<TraceDetail | undefined> {
    return this.call<TraceDetail>('GET', `/api/traces/${traceId}`);
  }
  getSpan(traceId: string, spanId: string): Promise<Span | undefined> {
    return this.call<Span>('GET', `/api/spans/${traceId}/${spanId}`);
  }
  async getSummary(traceId: string): Promise<TraceSummary | undefined> {
    return (await this.getTrace(traceId))?.summary;
  }
  async setPinned(traceId: string, pinned: boolean): Promise<boolean> {
    // The owner answers 404 for a trace it does not store.
    return (await this.call('PUT', `/api/traces/${traceId}/pin`, { pinned })) !== undefined;
  }
  async deleteTrace(traceId: string): Promise<void> {
    await this.call('DELETE', `/api/traces/${traceId}`);
  }
  async clear(): Promise<void> {
    await this.call('DELETE', '/api/traces');
  }

  /** undefined on 404; throws with the server's message otherwise. */
  private async call<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    const headers: Record<string, string> = {};
    if (this.authToken) headers.authorization = `Bearer ${this.authToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 404) return undefined;
    if (res.status === 204) return undefined;
    if (!res.ok) {
      const text = await res.text();
      throw new Error(`the window that hosts the receiver answered ${res.status}: ${notificationText(text)}`);
    }
    return (await res.json()) as T;
  }

  private connect(): void {
    if (this.disposed) return;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.authToken) headers.authorization = `Bearer ${this.authToken}`;
    const req = http.get(`${this.baseUrl}/api/events`, { headers }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        this.scheduleReconnect();
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        // SSE frames end with a blank line; a frame may arrive split across chunks.
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.handleFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      });
      res.on('end', () => this.scheduleReconnect());
      res.on('error', () => this.scheduleReconnect());
    });
    req.on('error', () => this.scheduleReconnect());
    this.request = req;
  }

  private handleFrame(frame: string): void {
    const data = frame
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice(6))
      .join('\n');
    if (!data) return;
    try {
      this.changes.fire(JSON.parse(data) as TraceChange);
    } catch (err) {
      this.onError(new Error(`Unreadable change event from the owner window: ${(err as Error).message}`));
    }
  }

  private scheduleReconnect(): void {
    if (this.disposed || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      this.connect();
    }, RECONNECT_MS);
  }

  dispose(): void {
    this.disposed = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    this.request?.destroy();
    this.changes.dispose();
  }
}
