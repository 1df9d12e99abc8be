// A trace file in whichever form it was written: OTLP/JSON lines (otlpJsonFile.ts), the Collector's
// length-prefixed protobuf messages, or one export request's protobuf bytes (otlpProtoFile.ts). What
// Import Traces reads (views/traceFiles.ts). Pure.
import { asBuffer } from './decodeProtobuf';
import { OtlpFileError, readOtlpJsonFile, type OtlpFile } from './otlpJsonFile';
import { readOtlpProtoFile, readOtlpProtoRequest } from './otlpProtoFile';

/** The first byte of every OTLP export request: field 1 (its resources), length-delimited. */
const REQUEST_START = (1 << 3) | 2;

const PROTO_FILE = "an OTLP protobuf file (a Collector file exporter's `format: proto`)";
const PROTO_REQUEST = 'an OTLP protobuf export request';
const JSON_FILE = 'an OTLP/JSON file';

/**
 * A trace file in any form Spanlight reads: length-prefixed messages (when the first length fits the
 * file, which the first bytes of JSON text never do, or starts with a zero byte, which no text does: a
 * message under 16 MiB; a file cut short is so told where it ends), one export request's protobuf bytes (it starts as every
 * such request does, field 1 length-delimited: a newline, which a JSON lines file may start with too,
 * so that is read next), or OTLP/JSON. Throws OtlpFileError, its message naming the form the file was
 * taken for, then why it is not one.
 */
export function readOtlpFile(bytes: Uint8Array): OtlpFile {
  const buf = asBuffer(bytes);
  if (buf.length >= 4 && (buf[0] === 0 || buf.readUInt32BE(0) <= buf.length - 4)) return taken(PROTO_FILE, () => readOtlpProtoFile(buf));
  if (buf[0] === REQUEST_START) {
    try {
      return readOtlpProtoRequest(buf);
    } catch (err) {
      if (!(err instanceof OtlpFileError) || !buf.toString('utf8', 0, 1024).trimStart().startsWith('{')) throw formed(PROTO_REQUEST, err);
    }
  }
  return taken(JSON_FILE, () => readOtlpJsonFile(buf.toString('utf8')));
}

function taken(form: string, read: () => OtlpFile): OtlpFile {
  try {
    return read();
  } catch (err) {
    throw formed(form, err);
  }
}

function formed(form: string, err: unknown): unknown {
  return err instanceof OtlpFileError ? new OtlpFileError(`${form}: ${err.message}`, { cause: err }) : err;
}
