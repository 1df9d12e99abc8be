// A follower window's view of the owner window's store, over the owner's loopback JSON API: reads with
// fetch, live changes from the server-sent event stream at /api/events.
//
// One source is one unbroken subscription to that stream. It does not reconnect by itself: changes made
// while a stream is down are lost to it, so a follower opens a new source (and its views read the whole
// list again from it) instead — see OwnerFollower.
import http from 'node:http';
import { Emitter, type Event } from '../base/emitter';
import type { Span, TextSearchResult, TraceChange, TraceDetail, TraceList, TraceQuery, TraceSummary } from '../protocol/model';
import type { TextSearchOptions } from '../store/fullTextSearch';
import { SPAN_COUNT_HEADER, UNREADABLE_SPANS_HEADER } from '../receiver/apiRoutes';
import type { TraceFile, TraceSource } from './traceSource';
import { notificationText } from '../base/notificationText';

/** The receiver's auth token as this window knows it now (SecretStorage; another window may change it). */
export type ReadAuthToken = () => Promise<string | undefined>;

export class RemoteTraceSource implements TraceSource {
  private readonly changes = new Emitter<TraceChange>();
  readonly onDidChangeTraces: Event<TraceChange> = this.changes.event;
  private readonly closes = new Emitter<void>();
  /** The change stream ended after it had opened (the owner's receiver stopped or restarted, or its window closed). */
  readonly onDidClose: Event<void> = this.closes.event;
  /**
   * Resolves once the owner sends every change to this source: what the views read from then on, plus
   * the changes, is the owner's list. Rejects with why the stream could not be opened.
   */
  readonly opened: Promise<void>;
  private token: Promise<string | undefined>;
  private request: http.ClientRequest | undefined;
  private ended = false;
  private disposed = false;

  constructor(
    readonly baseUrl: string,
    private readonly readToken: ReadAuthToken,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    this.token = readToken();
    this.opened = this.openStream();
    // Whoever opened the source handles the rejection; this keeps it from being reported as unhandled meanwhile.
    this.opened.catch(() => undefined);
  }

  async listTraces(query: TraceQuery): Promise<TraceList> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    return (await this.call<TraceList>('GET', `/api/traces?${params}`)) ?? { traces: [], total: 0 };
  }
  /** One request, answered when the owner has read every record: no progress, and no match before the last. */
  async searchText(q: string, options: TextSearchOptions = {}): Promise<TextSearchResult> {
    const params = new URLSearchParams({ q });
    if (options.limit !== undefined) params.set('limit', String(options.limit));
    try {
      const result = await this.call<TextSearchResult>('GET', `/api/search?${params}`, undefined, options.signal);
      for (const match of result?.matches ?? []) options.onMatch?.(match);
      return result ?? { matches: [], scannedSpans: 0, totalSpans: 0 };
    } catch (err) {
      if (options.signal?.aborted) return { matches: [], scannedSpans: 0, totalSpans: 0, stopped: 'cancelled' };
      throw err;
    }
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

  async getTraceFile(traceId: string): Promise<TraceFile | undefined> {
    const res = await this.answer('GET', `/api/traces/${traceId}/otlp`);
    if (!res) return undefined;
    const count = (header: string) => Number(res.headers.get(header) ?? 0);
    return { text: await res.text(), spans: count(SPAN_COUNT_HEADER), unreadable: count(UNREADABLE_SPANS_HEADER) };
  }

  /** undefined on 404; throws with the server's message otherwise. */
  private async call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T | undefined> {
    const res = await this.answer(method, path, body, signal);
    return res && ((await res.json()) as T);
  }

  /** The owner's answer when it is a success; undefined on 404 and 204; throws with the server's message otherwise. */
  private async answer(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response | undefined> {
    let res = await this.send(method, path, body, signal);
    if (res.status === 401) {
      // The owner's token changed since this source read it (it restarts its receiver for that, but this
      // window may hear of the new token later): read it again before giving up.
      this.token = this.readToken();
      res = await this.send(method, path, body, signal);
    }
    if (res.status === 404 || res.status === 204) return undefined;
    if (res.status === 401) throw tokenRefused(await res.text());
    if (!res.ok) throw new Error(`the window that hosts the receiver answered ${res.status}: ${notificationText(await res.text())}`);
    return res;
  }

  private async send(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const headers = await this.headers();
    if (body !== undefined) headers['content-type'] = 'application/json';
    const request = (): Promise<Response> => fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    try {
      // Once more on a network error: a kept-alive connection the owner closed as its receiver restarted
      // fails the first request sent on it. Every call here is idempotent (GET, PUT, DELETE).
      return await request().catch(request);
    } catch (err) {
      // fetch says only "fetch failed"; the cause (ECONNREFUSED while the owner's receiver is stopped) is the news.
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new Error(`cannot reach the window that hosts the receiver at ${this.baseUrl}: ${cause}`, { cause: err });
    }
  }

  private async headers(): Promise<Record<string, string>> {
    const token = await this.token;
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  private async openStream(): Promise<void> {
    const headers = { ...(await this.headers()), accept: 'text/event-stream' };
    if (this.disposed) throw new Error('closed before its change stream opened');
    return new Promise<void>((resolve, reject) => {
      const req = http.get(`${this.baseUrl}/api/events`, { headers }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(res.statusCode === 401 ? tokenRefused('') : new Error(`the window that hosts the receiver answered ${res.statusCode} for its change stream`));
          return;
        }
        // The owner subscribes this stream before it answers: from here on no change is missed.
        resolve();
        this.readFrames(res);
        res.on('close', () => this.closed());
      });
      req.on('error', (err) => {
        reject(new Error(`cannot reach the window that hosts the receiver at ${this.baseUrl}: ${err.message}`));
        this.closed();
      });
      this.request = req;
    });
  }

  private readFrames(res: http.IncomingMessage): void {
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

  private closed(): void {
    // A socket error after the answer began also ends the response: one close, told once.
    if (this.disposed || this.ended) return;
    this.ended = true;
    this.closes.fire();
  }

  dispose(): void {
    this.disposed = true;
    this.request?.destroy();
    this.changes.dispose();
    this.closes.dispose();
  }
}

/** The owner answered 401: this window's token (or its lack of one) is not the owner's. */
function tokenRefused(answer: string): Error {
  const detail = answer ? `: ${notificationText(answer)}` : '';
  return new Error(`the window that hosts the receiver refused the auth token this window has (401${detail})`);
}
