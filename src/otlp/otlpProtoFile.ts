// Traces in a binary file: what the OpenTelemetry Collector's file exporter writes with `format: proto`
// — each TracesData or LogsData message preceded by its length, 4 bytes big-endian (its file_writer.go).
// A message does not say which signal it holds (both kinds number their list 1, and one exporter may
// serve a traces and a logs pipeline into one file), so the first span, log record or metric in it is
// read at the wire level to tell. Each message becomes the OTLP/JSON request the receiver takes, so an
// import sends binary and JSON files alike (views/traceFiles.ts). A file holding one export request's
// bytes alone (an app's export, captured) is read too (readOtlpFile.ts tells the forms apart). Pure.
import protobuf from 'protobufjs';
import { asBuffer, decodeLogsProtobuf, decodeTracesProtobuf } from './decodeProtobuf';
import { logsRequestJson, tracesRequestJson } from './encodeJson';
import { OtlpFileError, type OtlpFile, type OtlpFileRequest } from './otlpJsonFile';

/** The first bytes of a zstd frame: the exporter's `compression: zstd` (which Spanlight does not unpack). */
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/** Wire types (protobuf encoding). */
const VARINT = 0;
const I64 = 1;
const LEN = 2;

type Kind = 'traces' | 'logs' | 'metrics' | 'empty' | 'unknown';

/** Throws OtlpFileError for bytes that are not one OTLP export request (traces or logs). */
export function readOtlpProtoRequest(bytes: Uint8Array): OtlpFile {
  const request = requestOf(asBuffer(bytes), 1);
  if (request === 'metrics') throw new OtlpFileError('it holds metrics, not traces or logs.');
  if (!request || request.items === 0) throw new OtlpFileError('it holds no spans or log records.');
  return { requests: [request], skipped: 0, unit: 'message' };
}

/** Throws OtlpFileError for bytes that are not length-prefixed OTLP messages. */
export function readOtlpProtoFile(bytes: Uint8Array): OtlpFile {
  const buf = asBuffer(bytes);
  const requests: OtlpFileRequest[] = [];
  let skipped = 0;
  let offset = 0;
  for (let n = 1; offset < buf.length; n++) {
    if (buf.length - offset < 4) throw new OtlpFileError(`message ${n} is cut short: the file ends inside its length.`);
    const length = buf.readUInt32BE(offset);
    if (length > buf.length - offset - 4) throw new OtlpFileError(`message ${n} is cut short: its length says ${length} bytes, the file has ${buf.length - offset - 4} more.`);
    const message = buf.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    if (message.subarray(0, 4).equals(ZSTD_MAGIC)) throw new OtlpFileError('it is compressed with zstd (the file exporter\'s `compression: zstd`): write it without compression to import it.');
    const request = requestOf(message, n);
    if (request === 'metrics') skipped++;
    else if (request) requests.push(request);
  }
  if (requests.length === 0) throw new OtlpFileError(skipped > 0 ? 'the file holds no traces or logs (only metrics).' : 'the file is empty.');
  return { requests, skipped, unit: 'message' };
}

/** Message `n` as the request to send; 'metrics' to skip; undefined when it holds nothing. */
function requestOf(message: Buffer, n: number): OtlpFileRequest | 'metrics' | undefined {
  let kind: Kind;
  try {
    kind = kindOf(message);
  } catch {
    throw new OtlpFileError(`message ${n} is not OTLP protobuf.`);
  }
  if (kind === 'metrics') return 'metrics';
  if (kind === 'empty') return undefined;
  if (kind === 'unknown') throw new OtlpFileError(`message ${n} holds neither OTLP spans nor log records.`);
  try {
    if (kind === 'traces') {
      const { spans } = decodeTracesProtobuf(message);
      return { signal: 'traces', json: JSON.stringify(tracesRequestJson(spans)), items: spans.length, traceIds: [...new Set(spans.map((s) => s.traceId))], line: n };
    }
    const { records } = decodeLogsProtobuf(message);
    return { signal: 'logs', json: JSON.stringify(logsRequestJson(records)), items: records.length, traceIds: [], line: n };
  } catch (err) {
    throw new OtlpFileError(`message ${n} is not OTLP protobuf ${kind}: ${(err as Error).message}`);
  }
}

/**
 * What a message holds, from its first item (resource → scope → item, field 1 → 2 → 2 in all three
 * signals): a span has its start and end times as 64-bit fields 7 and 8 (and 16- and 8-byte ids in
 * fields 1 and 2); a log record its time as a 64-bit field 1 or 11, or its severity as a varint field 2;
 * a metric its data as a message in field 5, 7, 9, 10 or 11.
 */
function kindOf(message: Buffer): Kind {
  for (const resource of fields(message, 1)) {
    for (const scope of fields(resource, 2)) {
      for (const item of fields(scope, 2)) {
        const shape = wireShape(item);
        const is = (field: number, wire: number, length?: number) => shape.get(field)?.wire === wire && (length === undefined || shape.get(field)?.length === length);
        if (is(7, I64) || is(8, I64)) return 'traces';
        if (is(1, I64) || is(11, I64) || is(2, VARINT)) return 'logs';
        if ([7, 9, 10, 11].some((field) => is(field, LEN))) return 'metrics';
        // A span without times (they are left out when zero) still has its ids.
        if (is(1, LEN, 16) && is(2, LEN, 8)) return 'traces';
        if (is(5, LEN)) return 'metrics';
        return 'unknown';
      }
    }
  }
  return 'empty';
}

/** The length-delimited fields numbered `field` of a message. */
function fields(message: Uint8Array, field: number): Uint8Array[] {
  const reader = protobuf.Reader.create(message);
  const found: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === field && (tag & 7) === LEN) found.push(reader.bytes());
    else reader.skipType(tag & 7);
  }
  return found;
}

/** Each field number of a message with the wire type it was written with (and its length, when delimited). */
function wireShape(message: Uint8Array): Map<number, { wire: number; length?: number }> {
  const reader = protobuf.Reader.create(message);
  const shape = new Map<number, { wire: number; length?: number }>();
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const wire = tag & 7;
    if (wire === LEN) {
      shape.set(tag >>> 3, { wire, length: reader.bytes().length });
    } else {
      shape.set(tag >>> 3, { wire });
      reader.skipType(wire);
    }
  }
  return shape;
}
