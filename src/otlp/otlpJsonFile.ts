// Traces in a file: OTLP/JSON, one export request per line (JSON Lines), as the OpenTelemetry
// Collector's file exporter writes them and its otlpjsonfile receiver reads them. Spanlight writes a
// trace so (its spans, then the GenAI log records that hold their messages) and reads such files back,
// and also a file holding a single request, pretty-printed or not. Pure: the editor reads and writes
// the files (views/traceFiles.ts).
import { logsRequestJson, tracesRequestJson } from './encodeJson';
import { idFromJson } from './scalars';
import type { RawLogRecord, RawSpan } from './types';
import { asRecord, field } from './values';

/** What such a file is served as (JSON Lines has no registered type; this is the common one). */
export const OTLP_JSON_LINES_TYPE = 'application/x-ndjson; charset=utf-8';

/** One export request read from a file, as the text to POST to the receiver. */
export interface OtlpFileRequest {
  signal: 'traces' | 'logs';
  json: string;
  /** Spans or log records it holds. */
  items: number;
  /** The traces its spans belong to, first seen first (none for logs). */
  traceIds: string[];
  /** 1-based line it starts on (in a binary file: its message's number, see OtlpFile.unit). */
  line: number;
}

export interface OtlpFile {
  requests: OtlpFileRequest[];
  /** Lines holding another signal (a collector's metrics): left out, and said. */
  skipped: number;
  /** What `line` and `skipped` count: lines of text, or the messages of a binary file (otlpProtoFile.ts). */
  unit: 'line' | 'message';
}

/** A file that is not OTLP/JSON, with where it stops being so. */
export class OtlpFileError extends Error {}

/**
 * A line's size, past which its items go on to another line: a trace received over many exports can be
 * bigger than the receiver takes in one (16 MiB by default), and every line must import again.
 */
export const LINE_BYTES = 4 << 20;

/** A trace as a file: its spans' requests, then its log records' (when it has any), each line within `lineBytes`. */
export function otlpJsonLines(spans: readonly RawSpan[], logs: readonly RawLogRecord[], lineBytes = LINE_BYTES): string {
  const lines = [
    ...linesOf(spans, (items) => JSON.stringify(tracesRequestJson(items)), lineBytes),
    ...(logs.length > 0 ? linesOf(logs, (items) => JSON.stringify(logsRequestJson(items)), lineBytes) : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** `items` in as few lines as keep within `lineBytes` (an item bigger than that alone on its line); at least one line. */
function linesOf<T>(items: readonly T[], line: (items: readonly T[]) => string, lineBytes: number): string[] {
  const whole = line(items);
  if (items.length === 1 || Buffer.byteLength(whole, 'utf8') <= lineBytes) return [whole];
  const half = Math.ceil(items.length / 2);
  return [...linesOf(items.slice(0, half), line, lineBytes), ...linesOf(items.slice(half), line, lineBytes)];
}

/** Throws OtlpFileError for text that is neither a request nor lines of requests. */
export function readOtlpJsonFile(text: string): OtlpFile {
  const body = text.replace(/^\uFEFF/, '');
  const whole = parsed(body);
  if (whole !== undefined) return collect([{ value: whole, json: body, line: 1 }]);
  const docs: { value: unknown; json: string; line: number }[] = [];
  body.split('\n').forEach((raw, i) => {
    const json = raw.trim();
    if (!json) return;
    const value = parsed(json);
    if (value === undefined) throw new OtlpFileError(`line ${i + 1} is not JSON (an OTLP/JSON file holds one export request per line).`);
    docs.push({ value, json, line: i + 1 });
  });
  if (docs.length === 0) throw new OtlpFileError('the file is empty.');
  return collect(docs);
}

function parsed(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

function collect(docs: { value: unknown; json: string; line: number }[]): OtlpFile {
  const requests: OtlpFileRequest[] = [];
  let skipped = 0;
  for (const { value, json, line } of docs) {
    const doc = asRecord(value) ?? {};
    const spans = field(doc, 'resourceSpans', 'resource_spans');
    const logs = field(doc, 'resourceLogs', 'resource_logs');
    if (spans !== undefined) {
      const items = leaves(spans, ['scopeSpans', 'scope_spans'], ['spans', 'spans']);
      const traceIds = new Set<string>();
      for (const span of items) {
        const traceId = idFromJson(field(asRecord(span) ?? {}, 'traceId', 'trace_id'), 16);
        if (traceId) traceIds.add(traceId);
      }
      requests.push({ signal: 'traces', json, items: items.length, traceIds: [...traceIds], line });
    } else if (logs !== undefined) {
      requests.push({ signal: 'logs', json, items: leaves(logs, ['scopeLogs', 'scope_logs'], ['logRecords', 'log_records']).length, traceIds: [], line });
    } else if (field(doc, 'resourceMetrics', 'resource_metrics') !== undefined) {
      skipped++;
    } else {
      throw new OtlpFileError(`${docs.length === 1 ? 'the file' : `line ${line}`} is not an OTLP traces or logs export request (it has no "resourceSpans" or "resourceLogs").`);
    }
  }
  if (requests.length === 0) throw new OtlpFileError('the file holds no traces or logs (only metrics).');
  return { requests, skipped, unit: 'line' };
}

/** The items two levels down (resource → scope → items); what is not a list holds none: the receiver judges it. */
function leaves(resources: unknown, scopeKeys: [string, string], itemKeys: [string, string]): unknown[] {
  return children(resources, undefined).flatMap((resource) => children(resource, scopeKeys)).flatMap((scope) => children(scope, itemKeys));
}

/** `parent[key]` as a list (`parent` itself without a key). */
function children(parent: unknown, keys: [string, string] | undefined): unknown[] {
  const value = keys ? field(asRecord(parent) ?? {}, ...keys) : parent;
  return Array.isArray(value) ? value : [];
}
