// Reads an OTLP/HTTP request body with a hard size cap that also applies after gzip/deflate inflation,
// so a few KB of gzip cannot expand into gigabytes in memory (a "zip bomb").
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { OTLP_CONTENT_TYPES, type OtlpEncoding } from '../otlp/responses';
import type { BodyLease } from './sink';

/** A request that must be answered with `status`; `message` is shown to the sender. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * OTLP/HTTP content types: `application/x-protobuf` (spec), `application/protobuf` (sent by some SDKs),
 * `application/json`; parameters such as `charset=utf-8` are ignored.
 */
function encodingFromContentType(contentType: string | undefined): OtlpEncoding | undefined {
  if (!contentType) return undefined;
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

/** How to answer a request: in its encoding, under its own media type (JSON when it has neither). */
export interface AnswerFormat {
  encoding: OtlpEncoding;
  contentType: string;
}

/** The answer to a request of another type (a 415), or of none: JSON, which any client can read. */
export const JSON_ANSWER: AnswerFormat = { encoding: 'json', contentType: OTLP_CONTENT_TYPES.json };

/**
 * OTLP/HTTP: "The server MUST use the same Content-Type in the response as it received in the request",
 * so an `application/protobuf` request is answered as `application/protobuf`. Undefined for a request
 * that is neither OTLP protobuf nor JSON.
 */
export function answerFormatOf(contentType: string | undefined): AnswerFormat | undefined {
  const encoding = encodingFromContentType(contentType);
  if (!encoding) return undefined;
  const mediaType = mediaTypeOf(contentType ?? '');
  return { encoding, contentType: mediaType === 'application/protobuf' ? mediaType : OTLP_CONTENT_TYPES[encoding] };
}

function mediaTypeOf(contentType: string): string {
  return contentType.split(';', 1)[0].trim().toLowerCase();
}

type ContentCoding = 'identity' | 'gzip' | 'deflate';

function contentCoding(header: string | undefined): ContentCoding {
  const coding = (header ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return 'identity';
  if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
  if (coding === 'deflate') return 'deflate';
  // RFC 9110 §15.5.16: an unsupported content coding is a 415.
  throw new HttpError(415, `Unsupported Content-Encoding "${header}": send gzip, deflate or an uncompressed body`);
}

function tooLarge(limit: number, what: string): HttpError {
  return new HttpError(413, `Request body ${what} exceeds the ${sizeLimitText(limit)} limit of this Spanlight receiver`);
}

/** A body limit as the setting gives it (spanlight.receiver.maxBodyMB: "16 MiB"), in bytes when it is not whole MiB. */
export function sizeLimitText(limit: number): string {
  const mib = limit / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${limit}-byte`;
}

/**
 * Collects the raw bytes, failing as soon as more than `limit` arrive. With `into` (its length: the
 * declared Content-Length), they are copied there as they come; otherwise they are joined at the end,
 * by `join`.
 */
function readRaw(req: IncomingMessage, limit: number, into?: Uint8Array, join: (chunks: Buffer[], size: number) => Uint8Array = Buffer.concat): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit, 'size'));
  const capacity = into ? into.length : limit;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | undefined, body?: Uint8Array): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err) reject(err);
      else resolve(body ?? Buffer.alloc(0));
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > capacity) {
        finish(into ? new HttpError(400, 'The request body is longer than its Content-Length') : tooLarge(limit, 'size'));
        return;
      }
      if (into) into.set(chunk, size);
      else chunks.push(chunk);
      size += chunk.length;
    };
    const onEnd = (): void => finish(undefined, into ? into.subarray(0, size) : join(chunks, size));
    const onError = (err: Error): void => finish(new HttpError(400, `Could not read the request body: ${err.message}`));
    const onAborted = (): void => finish(new HttpError(400, 'The client aborted the request'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);

function isOutputTooLarge(err: unknown): boolean {
  return err instanceof RangeError || (err as { code?: string } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

async function inflateBody(raw: Buffer, coding: ContentCoding, limit: number): Promise<Buffer> {
  // maxOutputLength makes zlib stop (RangeError ERR_BUFFER_TOO_LARGE) instead of allocating past the cap.
  const options = { maxOutputLength: limit };
  try {
    if (coding === 'gzip') return await gunzip(raw, options);
    try {
      return await inflate(raw, options);
    } catch (err) {
      // HTTP "deflate" means zlib-wrapped (RFC 9110 §8.4.1.2), but some clients send raw deflate.
      if (isOutputTooLarge(err)) throw err;
      return await inflateRaw(raw, options);
    }
  } catch (err) {
    if (isOutputTooLarge(err)) throw tooLarge(limit, 'after decompression');
    throw new HttpError(400, `Invalid ${coding} request body: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The request body, inflated if needed; throws HttpError 413 / 415 / 400. With `lease` (OtlpSink.leaseBody),
 * a body sent uncompressed is read into memory the lease lends, handed to `onLease` as soon as it is
 * taken so that the caller releases it whatever happens. A body with its length declared (Python's
 * exporters) is copied there as it arrives; one streamed without a length (the OTel JS SDK's exporters
 * pipe it: Transfer-Encoding: chunked) once it has all arrived, instead of into a fresh buffer.
 */
export async function readBody(
  req: IncomingMessage,
  limit: number,
  lease?: (size: number) => BodyLease | undefined,
  onLease?: (lease: BodyLease) => void,
): Promise<Uint8Array> {
  const coding = contentCoding(req.headers['content-encoding']);
  if (coding !== 'identity') {
    const raw = await readRaw(req, limit);
    return inflateBody(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), coding, limit);
  }
  const length = req.headers['content-length'];
  if (length === undefined && lease) return readRaw(req, limit, undefined, (chunks, size) => joinLent(chunks, size, lease, onLease));
  const declared = Number(length);
  const lent = Number.isSafeInteger(declared) && declared > 0 && declared <= limit ? lease?.(declared) : undefined;
  if (lent) onLease?.(lent);
  return readRaw(req, limit, lent?.bytes);
}

/** `chunks` joined in memory from `lease` (given to `onLease`), or in a fresh buffer when it lends none. */
function joinLent(chunks: Buffer[], size: number, lease: (size: number) => BodyLease | undefined, onLease?: (lease: BodyLease) => void): Uint8Array {
  const lent = lease(size);
  if (!lent) return Buffer.concat(chunks, size);
  onLease?.(lent);
  let at = 0;
  for (const chunk of chunks) {
    lent.bytes.set(chunk, at);
    at += chunk.length;
  }
  return lent.bytes;
}

/** What a refused request may still send before the connection is closed on it anyway. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Reads and drops the rest of a refused request (a 413 refused by its Content-Length, before any of it
 * was read). Answering and closing while the client still sends makes it see a reset or a broken pipe
 * instead of the answer; a client that sends on and on is cut off after 64 MiB or 10 s.
 */
export function drainRequest(req: IncomingMessage): Promise<void> {
  if (req.complete) return Promise.resolve();
  return new Promise((resolve) => {
    let size = 0;
    const done = (): void => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', done);
      req.off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) done();
    };
    const timer = setTimeout(done, DRAIN_TIMEOUT_MS);
    req.on('data', onData);
    req.on('end', done);
    req.on('close', done);
    req.resume();
  });
}
