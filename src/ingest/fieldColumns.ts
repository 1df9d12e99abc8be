// How the index worker hands a batch's IndexFields to the main thread: as columns (one array per
// field) instead of one object per span. Structured clone writes every property name of every object
// and the receiving side looks each one up again; columns send each name once and the numbers as one
// transferred buffer. Measured on a 512-span batch: 0.7 instead of 1.8 ms of CPU one way. The search
// texts, bytes already, travel in one transferred buffer too, and each span's text on the main thread
// is a view into it: no copy, and nothing on the JS heap but the view. Fields that repeat across a
// batch (trace id, name, service, models, operation) go as a table of their distinct values and an
// index per span: structured clone copies a string each time it meets it, on both threads.
import type { LlmOperation } from '../protocol/model';
import { llmOfFlags, metaFlags, shapeOfFlags, statusOfFlags } from '../store/indexFormat';
import { NO_TEXT, type IndexFields } from '../store/spanMeta';

/** A column of values that repeat: each distinct value once, and per span the index of its value. */
export interface RepeatedColumn<T> {
  values: T[];
  at: Uint32Array;
}

export interface FieldColumns {
  traceId: RepeatedColumn<string>;
  spanId: string[];
  /**
   * Per span, the index of its parent in this batch, or -1 and the parent's id in `parentSpanId`
   * (`undefined` where it has none: structured clone keeps it). A parent in the same batch, the usual
   * case, costs no string: the main thread gets the parent's own spanId.
   */
  parentAt: Int32Array;
  parentSpanId: (string | undefined)[];
  name: RepeatedColumn<string>;
  start: string[];
  end: string[];
  service: RepeatedColumn<string | undefined>;
  /** The search texts back to back (UTF-8), and where each ends. */
  texts: Uint8Array;
  textEnds: Uint32Array;
  requestModel: RepeatedColumn<string | undefined>;
  responseModel: RepeatedColumn<string | undefined>;
  operation: RepeatedColumn<LlmOperation | undefined>;
  /** Per span: inputTokens, outputTokens, costUsd (NaN: absent). */
  numbers: Float64Array;
  /** Per span: metaFlags (status, and which of llm and shape there are). */
  flags: Uint8Array;
}

const NUMBERS_PER_SPAN = 3;

/** Builds a RepeatedColumn of `n` spans, value by value. */
class RepeatedColumnWriter<T> {
  readonly column: RepeatedColumn<T>;
  private readonly known = new Map<T, number>();
  // Neighbouring spans mostly share these values (same trace, service, model): no lookup for a run.
  private last: T | undefined;
  private lastIndex = -1;

  constructor(n: number) {
    this.column = { values: [], at: new Uint32Array(n) };
  }

  set(i: number, value: T): void {
    if (this.lastIndex < 0 || value !== this.last) {
      let index = this.known.get(value);
      if (index === undefined) {
        index = this.column.values.push(value) - 1;
        this.known.set(value, index);
      }
      this.last = value;
      this.lastIndex = index;
    }
    this.column.at[i] = this.lastIndex;
  }
}

/** The columns of `fields`; their number buffers are added to `transfer`. */
export function packFields(fields: readonly IndexFields[], transfer: ArrayBuffer[]): FieldColumns {
  const n = fields.length;
  const numbers = new Float64Array(n * NUMBERS_PER_SPAN);
  const flags = new Uint8Array(n);
  const textEnds = new Uint32Array(n);
  let textBytes = 0;
  for (let i = 0; i < n; i++) textBytes += fields[i].text.length;
  // Its own ArrayBuffer (not Buffer's shared pool): it is transferred.
  const texts = new Uint8Array(textBytes);
  const traceId = new RepeatedColumnWriter<string>(n);
  const name = new RepeatedColumnWriter<string>(n);
  const service = new RepeatedColumnWriter<string | undefined>(n);
  const requestModel = new RepeatedColumnWriter<string | undefined>(n);
  const responseModel = new RepeatedColumnWriter<string | undefined>(n);
  const operation = new RepeatedColumnWriter<LlmOperation | undefined>(n);
  const spanId = new Array<string>(n);
  const parentAt = new Int32Array(n);
  const parentSpanId = new Array<string | undefined>(n);
  const start = new Array<string>(n);
  const end = new Array<string>(n);
  // Children mostly come before their parent (they end first): find parents in the whole batch.
  const spanAt = new Map<string, number>();
  for (let i = 0; i < n; i++) spanAt.set(fields[i].spanId, i);
  let textAt = 0;
  for (let i = 0; i < n; i++) {
    const f = fields[i];
    traceId.set(i, f.traceId);
    spanId[i] = f.spanId;
    const parent = f.parentSpanId === undefined ? undefined : spanAt.get(f.parentSpanId);
    parentAt[i] = parent ?? -1;
    if (parent === undefined) parentSpanId[i] = f.parentSpanId;
    name.set(i, f.name);
    start[i] = f.start;
    end[i] = f.end;
    service.set(i, f.service);
    texts.set(f.text, textAt);
    textAt += f.text.length;
    textEnds[i] = textAt;
    requestModel.set(i, f.llm?.requestModel);
    responseModel.set(i, f.llm?.responseModel);
    operation.set(i, f.shape?.operation);
    numbers[i * NUMBERS_PER_SPAN] = f.llm?.inputTokens ?? NaN;
    numbers[i * NUMBERS_PER_SPAN + 1] = f.llm?.outputTokens ?? NaN;
    numbers[i * NUMBERS_PER_SPAN + 2] = f.llm?.costUsd ?? NaN;
    flags[i] = metaFlags(f);
  }
  const repeated = [traceId, name, service, requestModel, responseModel, operation].map((w) => w.column.at.buffer as ArrayBuffer);
  transfer.push(numbers.buffer, flags.buffer, texts.buffer as ArrayBuffer, textEnds.buffer, parentAt.buffer, ...repeated);
  return {
    traceId: traceId.column, spanId, parentAt, parentSpanId, name: name.column, start, end, service: service.column, texts, textEnds,
    requestModel: requestModel.column, responseModel: responseModel.column, operation: operation.column, numbers, flags,
  };
}

function valueAt<T>(column: RepeatedColumn<T>, i: number): T {
  return column.values[column.at[i]];
}

/** The fields packFields packed, one object per span again. */
export function unpackFields(columns: FieldColumns): IndexFields[] {
  const { numbers, flags, texts, textEnds, parentAt, spanId } = columns;
  const fields: IndexFields[] = new Array(flags.length);
  let textAt = 0;
  for (let i = 0; i < flags.length; i++) {
    const bits = flags[i];
    const at = i * NUMBERS_PER_SPAN;
    const textEnd = textEnds[i];
    const text = textEnd > textAt ? Buffer.from(texts.buffer, texts.byteOffset + textAt, textEnd - textAt) : NO_TEXT;
    textAt = textEnd;
    fields[i] = {
      traceId: valueAt(columns.traceId, i),
      spanId: spanId[i],
      parentSpanId: parentAt[i] >= 0 ? spanId[parentAt[i]] : columns.parentSpanId[i],
      name: valueAt(columns.name, i),
      start: columns.start[i],
      end: columns.end[i],
      status: statusOfFlags(bits) ?? 'UNSET',
      service: valueAt(columns.service, i),
      llm: llmOfFlags(
        bits,
        { requestModel: valueAt(columns.requestModel, i), responseModel: valueAt(columns.responseModel, i) },
        [numbers[at], numbers[at + 1], numbers[at + 2]],
      ),
      text,
      shape: shapeOfFlags(bits, valueAt(columns.operation, i)),
    };
  }
  return fields;
}
