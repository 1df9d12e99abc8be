// An OTLP logs export as ingest needs it: decoded, and only the records Spanlight keeps. Those are
// GenAI events (message content, evaluations: stored with their spans) and the coding agents' events
// (they become spans, eventSpans.ts); an app's other logs are counted and dropped. A pure function of
// the bytes, so that a big export is read on the index worker (spanIndexer.ts): a logging bridge's
// lines, or GenAI events holding every prompt of a batch run, are decoded there, not on the extension
// host's main thread, and only what is kept crosses back.
import { decodeLogsJson } from '../otlp/decodeJson';
import { decodeLogsProtobuf } from '../otlp/decodeProtobuf';
import type { DecodedLogs, RawLogRecord } from '../otlp/types';
import { isGenAiLogRecord } from '../semconv';
import { claudeCodeEvents } from './claudeCodeEvents';
import { CodexEvents } from './codexEvents';
import type { AgentEvents } from './eventSpans';
import { geminiCliEvents } from './geminiCliEvents';
import type { ExportFormat } from './spanIndexer';

/** The records kept of one export, with how many it held. */
export interface KeptLogs extends DecodedLogs {
  /** Every record the export held, kept or not (the ingest stats count them). */
  received: number;
}

/** The agents whose events become spans: fresh ones (CodexEvents follows its conversations). */
export function agentEventReaders(): AgentEvents[] {
  return [claudeCodeEvents, new CodexEvents(), geminiCliEvents];
}

/** Only which records an agent takes: its `accepts` reads the record alone. */
const ACCEPTING_AGENTS = agentEventReaders();

export function isKeptLogRecord(record: RawLogRecord): boolean {
  return isGenAiLogRecord(record) || ACCEPTING_AGENTS.some((agent) => agent.accepts(record));
}

export function keptLogsOf(decoded: DecodedLogs): KeptLogs {
  return { records: decoded.records.filter(isKeptLogRecord), received: decoded.records.length, rejected: decoded.rejected, errors: decoded.errors };
}

/** Throws OtlpDecodeError for bytes that are not an ExportLogsServiceRequest. */
export function readKeptLogs(body: Uint8Array, format: ExportFormat): KeptLogs {
  return keptLogsOf(format === 'json' ? decodeLogsJson(body) : decodeLogsProtobuf(body));
}
