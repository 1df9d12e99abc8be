// Builders for store tests: spans shaped like what the normalizer produces, temp store folders, and a
// helper to wait for the next change event.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LlmCall, Span, TraceChange } from '../../../src/protocol/model';
import { TraceStore, type TraceStoreOptions } from '../../../src/store';
import type { IndexEntry } from '../../../src/store/indexFormat';

const BASE_NS = 1_700_000_000_000_000_000n;

/** Nanosecond string `ms` milliseconds after a fixed base time. */
export function at(ms: number): string {
  return (BASE_NS + BigInt(Math.round(ms * 1e6))).toString();
}

export interface SpanInit extends Partial<Omit<Span, 'llm'>> {
  traceId: string;
  spanId: string;
  startMs?: number;
  endMs?: number;
  service?: string;
  llm?: Partial<LlmCall>;
}

export function span(init: SpanInit): Span {
  const { startMs = 0, endMs = (init.startMs ?? 0) + 10, service = 'checkout', llm, ...rest } = init;
  const result: Span = {
    name: `span ${init.spanId}`,
    kind: 'INTERNAL',
    startTimeUnixNano: at(startMs),
    endTimeUnixNano: at(endMs),
    durationMs: endMs - startMs,
    status: { code: 'UNSET' },
    attributes: {},
    events: [],
    links: [],
    resource: { 'service.name': service },
    scope: { name: 'test' },
    ...rest,
  };
  if (llm) {
    result.llm = {
      operation: 'chat',
      params: {},
      inputMessages: [],
      outputMessages: [],
      finishReasons: [],
      usage: {},
      convention: ['genai'],
      ...llm,
    };
  }
  return result;
}

/** A chat call with usage (and cost when given). */
export function chat(
  init: SpanInit & { model?: string; input?: number; output?: number; cost?: number; prompt?: string; answer?: string },
): Span {
  const { model = 'gpt-4o-mini', input, output, cost, prompt = 'hello', answer = 'hi there', llm, ...rest } = init;
  return span({
    ...rest,
    llm: {
      requestModel: model,
      responseModel: model,
      inputMessages: [{ role: 'user', content: prompt }],
      outputMessages: [{ role: 'assistant', content: answer }],
      usage: input === undefined && output === undefined ? {} : { inputTokens: input, outputTokens: output },
      costUsd: cost,
      ...llm,
    },
  });
}

/** Stores opened on each temp dir, so the dir is removed only after they have all closed. */
const storesByDir = new Map<string, TraceStore[]>();

export function tempStoreDir(t: { after: (fn: () => Promise<void> | void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'spanlight-store-'));
  // after-hooks run in registration order, i.e. before the close hooks of stores opened later: close
  // them here first (close is idempotent), or their last flush races the removal (ENOTEMPTY).
  t.after(async () => {
    for (const store of storesByDir.get(dir) ?? []) await store.close();
    storesByDir.delete(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Opens a store that records disk errors instead of printing them, closed when the test ends. */
export async function openStore(
  t: { after: (fn: () => Promise<void> | void) => void },
  options: TraceStoreOptions,
): Promise<{ store: TraceStore; errors: Error[] }> {
  const errors: Error[] = [];
  const store = await TraceStore.open({ onError: (err) => errors.push(err), ...options });
  storesByDir.set(options.dir, [...(storesByDir.get(options.dir) ?? []), store]);
  t.after(() => store.close());
  return { store, errors };
}

export function nextChange(store: TraceStore): Promise<TraceChange> {
  return new Promise((resolve) => {
    const sub = store.onDidChangeTraces((change) => {
      sub.dispose();
      resolve(change);
    });
  });
}

/** Collects every change event; `settle` waits long enough for pending events to fire. */
export function recordChanges(store: TraceStore): { changes: TraceChange[]; settle: () => Promise<void> } {
  const changes: TraceChange[] = [];
  store.onDidChangeTraces((c) => changes.push(c));
  return { changes, settle: () => new Promise((resolve) => setTimeout(resolve, 40)) };
}

/** A string of about `bytes` characters of plausible prompt text. */
export function text(bytes: number, seed = 0): string {
  const words = ['refund', 'order', 'policy', 'customer', 'shipping', 'invoice', 'delay', 'weather', 'city', 'tool'];
  let out = '';
  let i = seed;
  while (out.length < bytes) out += words[i++ % words.length] + ' ';
  return out.slice(0, bytes);
}

/**
 * An index entry as the JSON line stores wrote before binary entries: 14 fields, or the 13 of the
 * version before shapes were indexed.
 */
export function legacyIndexLine({ offset, length, meta: m }: IndexEntry, withShape = true): string {
  const llm = m.llm ? [m.llm.modelCall ? 1 : 0, m.llm.requestModel ?? 0, m.llm.responseModel ?? 0, m.llm.inputTokens ?? null, m.llm.outputTokens ?? null, m.llm.costUsd ?? null] : 0;
  const status = ['UNSET', 'OK', 'ERROR'].indexOf(m.status);
  const fields: unknown[] = [m.seq, offset, length, m.traceId, m.spanId, m.parentSpanId ?? 0, m.name, m.start, m.end, status, m.service ?? 0, m.text.toString('utf8'), llm];
  const shape = m.shape;
  if (withShape && shape) fields.push([shape.operation ?? 0, (shape.db ? 1 : 0) | (shape.source ? 2 : 0) | (shape.exception ? 4 : 0)]);
  return JSON.stringify(fields);
}
