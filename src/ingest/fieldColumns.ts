// How the index worker hands a batch's IndexFields to the main thread: as columns (one array per
// field) instead of one object per span. Structured clone writes every property name of every object
// and the receiving side looks each one up again; columns send each name once and the numbers as one
// transferred buffer. Measured on a 512-span batch: 0.7 instead of 1.8 ms of CPU one way.
import type { LlmOperation, StatusCode } from '../protocol/model';
import type { IndexFields } from '../store/spanMeta';

export interface FieldColumns {
  traceId: string[];
  spanId: string[];
  /** `undefined` where a field is absent (structured clone keeps it). */
  parentSpanId: (string | undefined)[];
  name: string[];
  start: string[];
  end: string[];
  service: (string | undefined)[];
  text: string[];
  requestModel: (string | undefined)[];
  responseModel: (string | undefined)[];
  operation: (LlmOperation | undefined)[];
  /** Per span: inputTokens, outputTokens, costUsd (NaN: absent). */
  numbers: Float64Array;
  /** Per span: status code index | FLAG_* bits. */
  flags: Uint8Array;
}

const STATUS: readonly StatusCode[] = ['UNSET', 'OK', 'ERROR'];
const STATUS_MASK = 3;
const FLAG_LLM = 4;
const FLAG_MODEL_CALL = 8;
const FLAG_SHAPE = 16;
const FLAG_DB = 32;
const FLAG_SOURCE = 64;
const FLAG_EXCEPTION = 128;
const NUMBERS_PER_SPAN = 3;

/** The columns of `fields`; their number buffer is added to `transfer`. */
export function packFields(fields: readonly IndexFields[], transfer: ArrayBuffer[]): FieldColumns {
  const n = fields.length;
  const numbers = new Float64Array(n * NUMBERS_PER_SPAN);
  const flags = new Uint8Array(n);
  const columns: FieldColumns = {
    traceId: new Array(n), spanId: new Array(n), parentSpanId: new Array(n), name: new Array(n), start: new Array(n),
    end: new Array(n), service: new Array(n), text: new Array(n), requestModel: new Array(n), responseModel: new Array(n),
    operation: new Array(n), numbers, flags,
  };
  for (let i = 0; i < n; i++) {
    const f = fields[i];
    columns.traceId[i] = f.traceId;
    columns.spanId[i] = f.spanId;
    columns.parentSpanId[i] = f.parentSpanId;
    columns.name[i] = f.name;
    columns.start[i] = f.start;
    columns.end[i] = f.end;
    columns.service[i] = f.service;
    columns.text[i] = f.text;
    let bits = STATUS.indexOf(f.status);
    const { llm, shape } = f;
    if (llm) {
      bits |= FLAG_LLM | (llm.modelCall ? FLAG_MODEL_CALL : 0);
      columns.requestModel[i] = llm.requestModel;
      columns.responseModel[i] = llm.responseModel;
      numbers[i * NUMBERS_PER_SPAN] = llm.inputTokens ?? NaN;
      numbers[i * NUMBERS_PER_SPAN + 1] = llm.outputTokens ?? NaN;
      numbers[i * NUMBERS_PER_SPAN + 2] = llm.costUsd ?? NaN;
    }
    if (shape) {
      bits |= FLAG_SHAPE | (shape.db ? FLAG_DB : 0) | (shape.source ? FLAG_SOURCE : 0) | (shape.exception ? FLAG_EXCEPTION : 0);
      columns.operation[i] = shape.operation;
    }
    flags[i] = bits;
  }
  transfer.push(numbers.buffer, flags.buffer);
  return columns;
}

const present = (value: number): number | undefined => (Number.isNaN(value) ? undefined : value);

/** The fields packFields packed, one object per span again. */
export function unpackFields(columns: FieldColumns): IndexFields[] {
  const { numbers, flags } = columns;
  const fields: IndexFields[] = new Array(flags.length);
  for (let i = 0; i < flags.length; i++) {
    const bits = flags[i];
    const at = i * NUMBERS_PER_SPAN;
    fields[i] = {
      traceId: columns.traceId[i],
      spanId: columns.spanId[i],
      parentSpanId: columns.parentSpanId[i],
      name: columns.name[i],
      start: columns.start[i],
      end: columns.end[i],
      status: STATUS[bits & STATUS_MASK],
      service: columns.service[i],
      llm:
        bits & FLAG_LLM
          ? {
              modelCall: (bits & FLAG_MODEL_CALL) !== 0,
              requestModel: columns.requestModel[i],
              responseModel: columns.responseModel[i],
              inputTokens: present(numbers[at]),
              outputTokens: present(numbers[at + 1]),
              costUsd: present(numbers[at + 2]),
            }
          : undefined,
      text: columns.text[i],
      shape:
        bits & FLAG_SHAPE
          ? { operation: columns.operation[i], db: (bits & FLAG_DB) !== 0, source: (bits & FLAG_SOURCE) !== 0, exception: (bits & FLAG_EXCEPTION) !== 0 }
          : undefined,
    };
  }
  return fields;
}
