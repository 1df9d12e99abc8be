// Shared pieces of the receiver tests: a sink that records what arrives, and a raw HTTP poster.
import http from 'node:http';
import { decodeLogsJson } from '../../../src/otlp/decodeJson';
import { decodeLogsProtobuf, decodeTracesProtobuf } from '../../../src/otlp/decodeProtobuf';
import type { OtlpEncoding } from '../../../src/otlp/responses';
import { splitTracesProtobuf } from '../../../src/otlp/splitTraces';
import { transcodeTracesJson } from '../../../src/otlp/transcodeJson';
import type { DecodedLogs, DecodedTraces, SplitTraces } from '../../../src/otlp/types';
import { withTranscodeRejections } from '../../../src/ingest/indexTraces';
import type { ExportResult, OtlpSink } from '../../../src/receiver/sink';

export class RecordingSink implements OtlpSink {
  readonly traces: DecodedTraces[] = [];
  readonly logs: DecodedLogs[] = [];
  /** The next accept call throws this (once). */
  failNext: Error | undefined;
  /** The next protobuf traces call answers, then throws this (once): storing failed after reading. */
  failAfterAnswer: Error | undefined;

  /** Records each span as the store would read it back: split out (the hot path), then fully decoded. */
  acceptTracesProtobuf(body: Uint8Array, answer: (result: ExportResult) => void): void {
    this.acceptSplit(splitTracesProtobuf(body), answer);
  }

  /** As the pipeline does: the spans of the export transcoded to protobuf, then as acceptTracesProtobuf. */
  acceptTracesJson(body: Uint8Array, answer: (result: ExportResult) => void): void {
    const transcoded = transcodeTracesJson(body);
    this.acceptSplit(withTranscodeRejections(splitTracesProtobuf(transcoded.protobuf), transcoded), answer);
  }

  private acceptSplit(split: SplitTraces, answer: (result: ExportResult) => void): void {
    this.throwIfAsked();
    const spans = split.records.flatMap((record) => decodeTracesProtobuf(record.otlp).spans);
    answer(split);
    const late = this.failAfterAnswer;
    this.failAfterAnswer = undefined;
    if (late) throw late;
    this.traces.push({ spans, rejected: split.rejected, errors: split.errors });
  }

  /** Decodes here, as the pipeline's inline path does: the receivers' part ends at handing the bytes over. */
  async acceptLogsExport(body: Uint8Array, encoding: OtlpEncoding): Promise<ExportResult> {
    const decoded = encoding === 'protobuf' ? decodeLogsProtobuf(body) : decodeLogsJson(body);
    await Promise.resolve();
    this.throwIfAsked();
    this.logs.push(decoded);
    return decoded;
  }

  get spans(): DecodedTraces['spans'] {
    return this.traces.flatMap((t) => t.spans);
  }

  get records(): DecodedLogs['records'] {
    return this.logs.flatMap((l) => l.records);
  }

  private throwIfAsked(): void {
    const err = this.failNext;
    if (err) {
      this.failNext = undefined;
      throw err;
    }
  }
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A request with full control over headers and framing (fetch would add or fix some).
 * `chunks` are written one by one without Content-Length, i.e. chunked transfer encoding.
 */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; chunks?: Buffer[] } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'POST', headers: options.headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    // The server may answer (413) and close before we finish writing: that answer is what we test.
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

export function json(response: RawResponse): unknown {
  return JSON.parse(response.body.toString('utf8'));
}
