// The columnar rows from the host → SpanRow objects for the tree state (see PackedSpanRows for why).
import type { PackedSpanRows, SpanKindIcon, SpanRow } from '../../../src/protocol/messages';
import type { StatusCode } from '../../../src/protocol/model';

export function unpackSpanRows(packed: PackedSpanRows): SpanRow[] {
  const { spanIds, parents, parentIds, strings, names, kinds, statuses, starts, durations, flags, llm } = packed;
  const rows: SpanRow[] = new Array(spanIds.length);
  for (let i = 0; i < spanIds.length; i++) {
    const parent = parents[i];
    const row: SpanRow = {
      spanId: spanIds[i],
      name: strings[names[i]] ?? '',
      startOffsetMs: starts[i],
      durationMs: durations[i],
      status: (strings[statuses[i]] ?? 'UNSET') as StatusCode,
      kindIcon: (strings[kinds[i]] ?? 'other') as SpanKindIcon,
      hasSource: (flags[i] & 2) !== 0,
      error: (flags[i] & 1) !== 0,
    };
    if (parent >= 0) row.parentSpanId = spanIds[parent];
    else if (parent === -2) row.parentSpanId = parentIds[i];
    const l = llm[i];
    if (l) {
      if (l.operation !== undefined) row.operation = l.operation;
      if (l.model !== undefined) row.model = strings[l.model];
      if (l.inputTokens !== undefined) row.inputTokens = l.inputTokens;
      if (l.outputTokens !== undefined) row.outputTokens = l.outputTokens;
      if (l.costUsd !== undefined) row.costUsd = l.costUsd;
    }
    rows[i] = row;
  }
  return rows;
}
