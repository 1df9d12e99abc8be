// Every message between the extension host and the webviews, declared once (GitLens-style):
// both sides import these types, so a renamed field is a compile error on both sides.
// The webview imports types only from this folder.
import type { LlmOperation, Span, StatusCode, TraceQuery, TraceSummary } from './model';
import type { ReceiverStatus } from './receiverStatus';

export type HostRole = 'starting' | 'owner' | 'follower';

/** What the span tree needs per row: small, so a 10k-span trace crosses postMessage quickly. */
export interface SpanRow {
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** ms from the trace start (numbers computed once on the host, DESIGN: layout numbers once per trace). */
  startOffsetMs: number;
  durationMs: number;
  status: StatusCode;
  kindIcon: SpanKindIcon;
  operation?: LlmOperation;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  hasSource: boolean;
}

export type SpanKindIcon = 'llm' | 'tool' | 'retrieval' | 'agent' | 'embedding' | 'other';

export interface EndpointInfo {
  httpUrl?: string;
  grpcUrl?: string;
}

// ── Sidebar: host → webview ──────────────────────────────────────────────
export type SidebarInbound =
  | { type: 'init'; status: ReceiverStatus; role: HostRole; endpoint: EndpointInfo; traces: TraceSummary[]; total: number }
  | { type: 'status'; status: ReceiverStatus; role: HostRole; endpoint: EndpointInfo }
  /** The current page of the list after a query or a change the webview cannot apply itself. */
  | { type: 'traces'; traces: TraceSummary[]; total: number; query: TraceQuery }
  /** Live deltas: summaries to insert/replace, ids to drop. */
  | { type: 'tracesChanged'; upserted: TraceSummary[]; removed: string[]; total: number }
  /** The full row set of the selected trace. */
  | { type: 'traceRows'; traceId: string; summary: TraceSummary; rows: SpanRow[]; startTimeUnixNano: string }
  /** New or changed rows of the selected trace (spans streaming in). */
  | { type: 'traceRowsDelta'; traceId: string; summary: TraceSummary; rows: SpanRow[]; startTimeUnixNano: string }
  | { type: 'selectTrace'; traceId: string }
  | { type: 'error'; message: string };

// ── Sidebar: webview → host ──────────────────────────────────────────────
export type SidebarOutbound =
  | { type: 'ready' }
  | { type: 'query'; query: TraceQuery }
  | { type: 'openTrace'; traceId: string }
  | { type: 'openSpan'; traceId: string; spanId: string; preserveFocus: boolean }
  | { type: 'pin'; traceId: string; pinned: boolean }
  | { type: 'delete'; traceId: string }
  | { type: 'clearAll' }
  | { type: 'sendSample' }
  | { type: 'copy'; text: string; label: string }
  | { type: 'openSettings' }
  | { type: 'command'; command: 'spanlight.startReceiver' | 'spanlight.showLogs' | 'spanlight.copyEndpoint' };

// ── Span detail panel ────────────────────────────────────────────────────
export type DetailInbound =
  | { type: 'span'; span: Span; trace: TraceSummary; parentName?: string }
  | { type: 'empty'; message: string };

export type DetailOutbound =
  | { type: 'ready' }
  | { type: 'copy'; text: string; label: string }
  | { type: 'openSource'; traceId: string; spanId: string };
