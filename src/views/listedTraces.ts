// The traces the sidebar's list shows under its filters, all of them (the list itself loads pages as
// it is scrolled): what Export Listed Traces writes.
import type { TraceQuery, TraceSummary } from '../protocol/model';
import { compareNano } from '../store/spanMeta';
import type { ViewTraceSource } from './traceAccess';

/** Summaries asked for at a time (the JSON API's largest page, for a window reading another's store). */
const LIST_PAGE = 1000;

/** The traces listed under `filters`, oldest first: a conversation's file reads in the order it went. */
export async function listedTraces(source: ViewTraceSource, filters: TraceQuery): Promise<TraceSummary[]> {
  const byId = new Map<string, TraceSummary>();
  for (let offset = 0; ; offset += LIST_PAGE) {
    const page = await source.listTraces({ ...filters, offset, limit: LIST_PAGE });
    // A trace received meanwhile moves the pages: one seen twice is kept once.
    for (const summary of page.traces) byId.set(summary.traceId, summary);
    if (page.traces.length < LIST_PAGE || offset + LIST_PAGE >= page.total) break;
  }
  // Summaries' starts are the index's normalized nanosecond strings.
  return [...byId.values()].sort((a, b) => compareNano(a.startTimeUnixNano, b.startTimeUnixNano));
}
