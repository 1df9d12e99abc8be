// The read-only JSON API served beside OTLP (DESIGN.md "Headless mode and JSON API").
// It reads through TraceReader so the transport stays independent of the store's implementation.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { HealthInfo, Span, StatusCode, TextSearchResult, TraceDetail, TraceList, TraceQuery } from '../protocol/model';
import { OTLP_JSON_LINES_TYPE, otlpJsonLines } from '../otlp/otlpJsonFile';
import { TEXT_SEARCH_LIMIT, TEXT_SEARCH_MAX_LIMIT, type TextSearchOptions } from '../store/fullTextSearch';
import type { TraceAsReceived } from '../store/traceStore';

export interface TraceReader {
  listTraces(q: TraceQuery): TraceList;
  /** TraceStore.searchText: every stored span's text. */
  searchText(q: string, options: TextSearchOptions): Promise<TextSearchResult>;
  getTrace(traceId: string): Promise<TraceDetail | undefined>;
  getSpan(traceId: string, spanId: string): Promise<Span | undefined>;
  getTraceAsReceived(traceId: string): Promise<TraceAsReceived | undefined>;
  health(): HealthInfo;
}

/** On GET /api/traces/:traceId/otlp: how many of the trace's spans did not read back and are not in the file. */
export const UNREADABLE_SPANS_HEADER = 'spanlight-unreadable-spans';
/** On the same answer: how many spans the file holds (so a client need not parse it to say so). */
export const SPAN_COUNT_HEADER = 'spanlight-span-count';

export const MAX_TRACE_PAGE = 1000;
const DEFAULT_TRACE_PAGE = 50;
const STATUS_CODES: readonly StatusCode[] = ['UNSET', 'OK', 'ERROR'];
export const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

export class BadRequest extends Error {}

/** One query parameter as a string; repeated parameters (?q=a&q=b) are a client mistake. */
function stringParam(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadRequest(`"${name}" must be given once`);
  return value;
}

function intParam(req: Request, name: string, min: number, max: number): number | undefined {
  const text = stringParam(req, name);
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new BadRequest(`"${name}" must be a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new BadRequest(`"${name}" must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function parseTraceQuery(req: Request): TraceQuery {
  const query: TraceQuery = {
    limit: intParam(req, 'limit', 1, MAX_TRACE_PAGE) ?? DEFAULT_TRACE_PAGE,
    offset: intParam(req, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0,
  };
  for (const name of ['q', 'service', 'model'] as const) {
    const value = stringParam(req, name);
    if (value) query[name] = value;
  }
  const status = stringParam(req, 'status');
  if (status) {
    const code = status.toUpperCase();
    if (!(STATUS_CODES as readonly string[]).includes(code)) {
      throw new BadRequest(`"status" must be one of ${STATUS_CODES.join(', ')}, got "${status}"`);
    }
    query.status = code as StatusCode;
  }
  return query;
}

/** Ids are stored lowercase; accept any case from the URL but reject what can never match. */
export function idParam(value: string | string[] | undefined, pattern: RegExp, name: string): string {
  const id = (typeof value === 'string' ? value : '').toLowerCase();
  if (!pattern.test(id)) throw new BadRequest(`"${name}" must be ${pattern === TRACE_ID ? 32 : 16} hex characters`);
  return id;
}

function notFound(res: Response, what: string): void {
  res.status(404).json({ error: `${what} not found` });
}

export function createApiRouter(reader: TraceReader): express.Router {
  const router = express.Router();

  router.get('/api/health', (_req: Request, res: Response) => {
    res.json(reader.health());
  });

  router.get('/api/traces', (req: Request, res: Response) => {
    res.json(reader.listTraces(parseTraceQuery(req)));
  });

  // Reads every stored record: a client that goes away (a follower window's search replaced or
  // cancelled) stops it.
  router.get('/api/search', async (req: Request, res: Response) => {
    const q = stringParam(req, 'q')?.trim();
    if (!q) throw new BadRequest('"q" must be the text to search for');
    const limit = intParam(req, 'limit', 1, TEXT_SEARCH_MAX_LIMIT) ?? TEXT_SEARCH_LIMIT;
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const result = await reader.searchText(q, { limit, signal: gone.signal });
    if (!gone.signal.aborted) res.json(result);
  });

  router.get('/api/traces/:traceId', async (req: Request, res: Response) => {
    const traceId = idParam(req.params.traceId, TRACE_ID, 'traceId');
    const detail = await reader.getTrace(traceId);
    if (!detail) notFound(res, `Trace ${traceId}`);
    else res.json({ summary: detail.summary, spans: detail.spans });
  });

  // The trace as a file of OTLP/JSON lines (otlp/otlpJsonFile.ts): what the editor's Export Trace
  // writes, and what `curl` saves for a headless receiver.
  router.get('/api/traces/:traceId/otlp', async (req: Request, res: Response) => {
    const traceId = idParam(req.params.traceId, TRACE_ID, 'traceId');
    const trace = await reader.getTraceAsReceived(traceId);
    if (!trace) {
      notFound(res, `Trace ${traceId}`);
      return;
    }
    res.setHeader('content-type', OTLP_JSON_LINES_TYPE);
    res.setHeader('content-disposition', `attachment; filename="trace-${traceId}.otlp.jsonl"`);
    res.setHeader(UNREADABLE_SPANS_HEADER, String(trace.unreadable));
    res.setHeader(SPAN_COUNT_HEADER, String(trace.spans.length));
    res.send(otlpJsonLines(trace.spans, trace.logs));
  });

  router.get('/api/spans/:traceId/:spanId', async (req: Request, res: Response) => {
    const traceId = idParam(req.params.traceId, TRACE_ID, 'traceId');
    const spanId = idParam(req.params.spanId, SPAN_ID, 'spanId');
    const span = await reader.getSpan(traceId, spanId);
    if (!span) notFound(res, `Span ${spanId} of trace ${traceId}`);
    else res.json(span);
  });

  // Validation failures are the client's; everything else falls through to the app's 500 handler.
  router.use('/api', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof BadRequest) res.status(400).json({ error: err.message });
    else next(err);
  });
  return router;
}
