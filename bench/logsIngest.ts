// Logs benchmark: how long an OTLP logs export keeps the receiver's main thread (the extension host,
// which every other extension shares) busy, and how fast exports are taken, for the two kinds of logs
// an app sends Spanlight:
//   - app logs: a logging bridge (Python's OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED, a Node
//     logger's OTel transport) sends every log line, with its span's ids; Spanlight keeps none of them;
//   - GenAI events: message content as log records (Python's opentelemetry-instrumentation-openai-v2 and
//     the JS OpenAI instrumentation), a few per model call, kept with their spans.
// Each export goes through the same sink as the receivers' (receiveExport → IngestPipeline) with a real
// store in a temporary directory, one at a time; the main thread's busy time is its event loop's
// utilization (active time) over the export, which includes the work of promise callbacks in between
// and the garbage collections they cause. The exports' records are not tied to stored spans: they are
// held for spans to come, as the records of an app whose logs arrive first are.
//   npm run build && node --import tsx bench/logsIngest.ts [--exports 40] [--warmup 8]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SpanlightEngine } from '../src/engine';
import { otlpTypes } from '../src/otlp';
import { receiveExport } from '../src/receiver/receiveExport';
import { prose, rng } from './ingestPayloads';

const argv = process.argv.slice(2);
const argValue = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const EXPORTS = argValue('--exports', 40);
const WARMUP = argValue('--warmup', 8);
/** The OTel SDKs' default batch of log records (OTEL_BLRP_MAX_EXPORT_BATCH_SIZE). */
const RECORDS_PER_EXPORT = 512;

type Kind = 'app logs' | 'GenAI events';

function hex(random: () => number, bytes: number): Buffer {
  return Buffer.from(Array.from({ length: bytes }, () => Math.floor(random() * 256)));
}

const str = (value: string) => ({ stringValue: value });

const resource = { attributes: [{ key: 'service.name', value: str('support-bot') }] };

function encodeLogs(records: object[], scope: string): Buffer {
  const request = { resourceLogs: [{ resource, scopeLogs: [{ scope: { name: scope }, logRecords: records }] }] };
  return Buffer.from(otlpTypes.ExportLogsServiceRequest.encode(otlpTypes.ExportLogsServiceRequest.fromObject(request)).finish());
}

/** 512 lines of an app's logging, each with the ids of the span it was logged in. */
function appLogsExport(index: number): Buffer {
  const random = rng(index * 7919 + 1);
  const records = Array.from({ length: RECORDS_PER_EXPORT }, (_, i) => {
    const time = (1_760_000_000_000 + index * 1000 + i) * 1_000_000;
    return {
      traceId: hex(random, 16),
      spanId: hex(random, 8),
      timeUnixNano: time,
      observedTimeUnixNano: time,
      severityNumber: 9,
      severityText: 'INFO',
      body: str(prose(random, 120 + Math.floor(random() * 280))),
      attributes: [
        { key: 'code.file.path', value: str('/srv/app/support/handlers.py') },
        { key: 'code.function.name', value: str('answer_question') },
        { key: 'code.line.number', value: { intValue: 40 + i } },
        { key: 'logger.name', value: str('support.handlers') },
      ],
    };
  });
  return encodeLogs(records, 'opentelemetry.sdk._logs');
}

/** Model calls per GenAI export: three records each (system, user, choice), 510 records. */
const CALLS_PER_EXPORT = Math.floor(RECORDS_PER_EXPORT / 3);

/**
 * The two exports of CALLS_PER_EXPORT model calls as opentelemetry-instrumentation-openai-v2 sends them:
 * their messages as log records (the event's name, its content in the body), and their spans (no content).
 */
function genAiExports(index: number): { logs: Buffer; traces: Buffer } {
  const random = rng(index * 7919 + 2);
  const records: object[] = [];
  const spans: object[] = [];
  for (let call = 0; call < CALLS_PER_EXPORT; call++) {
    const ids = { traceId: hex(random, 16), spanId: hex(random, 8) };
    const start = (1_760_000_000_000 + index * 1000 + call) * 1_000_000;
    const end = start + 800_000_000;
    const content = () => str(prose(random, 2000 + Math.floor(random() * 6000)));
    const answer = { kvlistValue: { values: [{ key: 'role', value: str('assistant') }, { key: 'content', value: content() }] } };
    const events: [string, object][] = [
      ['gen_ai.system.message', { kvlistValue: { values: [{ key: 'content', value: content() }] } }],
      ['gen_ai.user.message', { kvlistValue: { values: [{ key: 'content', value: content() }] } }],
      ['gen_ai.choice', { kvlistValue: { values: [{ key: 'index', value: { intValue: 0 } }, { key: 'finish_reason', value: str('stop') }, { key: 'message', value: answer }] } }],
    ];
    for (const [name, body] of events) {
      records.push({ ...ids, timeUnixNano: start, observedTimeUnixNano: start, severityNumber: 9, eventName: name, body, attributes: [{ key: 'gen_ai.system', value: str('openai') }] });
    }
    spans.push({
      ...ids,
      name: 'chat gpt-4o-mini',
      kind: 3,
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      attributes: [
        { key: 'gen_ai.operation.name', value: str('chat') },
        { key: 'gen_ai.system', value: str('openai') },
        { key: 'gen_ai.request.model', value: str('gpt-4o-mini') },
        { key: 'gen_ai.response.model', value: str('gpt-4o-mini-2024-07-18') },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: 900 + call } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: 300 } },
      ],
    });
  }
  const scope = { name: 'opentelemetry.instrumentation.openai_v2' };
  const request = { resourceSpans: [{ resource, scopeSpans: [{ scope, spans }] }] };
  return {
    logs: encodeLogs(records, scope.name),
    traces: Buffer.from(otlpTypes.ExportTraceServiceRequest.encode(otlpTypes.ExportTraceServiceRequest.fromObject(request)).finish()),
  };
}

v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The main thread's busy time (ms) and the wall time of one export, until it is answered and stored. */
async function timed(run: () => Promise<void>): Promise<{ busy: number; wall: number }> {
  const before = performance.eventLoopUtilization();
  const start = performance.now();
  await run();
  return { busy: performance.eventLoopUtilization(before).active, wall: performance.now() - start };
}

const row = (label: string, mb: number, busy: number[], wall: number[], records: number): string =>
  `  ${label.padEnd(22)} ${mb.toFixed(2).padStart(5)} MB  main thread busy ${median(busy).toFixed(1).padStart(5)} ms/export (max ${Math.max(...busy).toFixed(1).padStart(5)})` +
  `  wall ${median(wall).toFixed(1).padStart(5)} ms/export  ${Math.round((records * wall.length) / (wall.reduce((a, b) => a + b, 0) / 1000)).toLocaleString('en-US').padStart(8)} records/s`;

async function measure(kind: Kind): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spanlight-logs-bench-'));
  const engine = await SpanlightEngine.open({ storeDir: dir, version: 'bench' });
  const send = (signal: 'logs' | 'traces', body: Buffer) => timed(() => receiveExport(engine.pipeline, signal, 'protobuf', body, () => undefined));
  try {
    const count = WARMUP + EXPORTS;
    const exports = kind === 'app logs' ? Array.from({ length: count }, (_, i) => ({ logs: appLogsExport(i), traces: undefined })) : Array.from({ length: count }, (_, i) => genAiExports(i));
    // Making the bodies leaves garbage of this process's own, which must not be collected on the exports' time.
    collectGarbage();
    const logs = { busy: [] as number[], wall: [] as number[] };
    const traces = { busy: [] as number[], wall: [] as number[] };
    for (let i = 0; i < count; i++) {
      const { logs: logsBody, traces: tracesBody } = exports[i];
      // The logs first, as the Python SDK sends them (its logs are exported every second, spans every five).
      const sent = [await send('logs', logsBody), tracesBody && (await send('traces', tracesBody))];
      if (i < WARMUP) continue;
      for (const [to, result] of [[logs, sent[0]], [traces, sent[1]]] as const) {
        if (!result) continue;
        to.busy.push(result.busy);
        to.wall.push(result.wall);
      }
    }
    const records = kind === 'app logs' ? RECORDS_PER_EXPORT : CALLS_PER_EXPORT * 3;
    console.log(row(`${kind}: logs`, exports[0].logs.byteLength / 1e6, logs.busy, logs.wall, records));
    if (exports[0].traces) console.log(row(`${kind}: their spans`, exports[0].traces.byteLength / 1e6, traces.busy, traces.wall, CALLS_PER_EXPORT));
    // heldBytes is optional: builds before it (an A/B from an older checkout) count records only.
    const correlator = (engine.pipeline as unknown as { correlator: { size: number; heldBytes?: number } }).correlator;
    const held = correlator.heldBytes === undefined ? '' : `, ${(correlator.heldBytes / 1e6).toFixed(1)} MB`;
    console.log(`  ${''.padEnd(22)} log records held in memory after the run: ${correlator.size.toLocaleString('en-US')}${held}; heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`Logs ingest: ${EXPORTS} exports of ~${RECORDS_PER_EXPORT} records each (after ${WARMUP} warm-up), one at a time, medians`);
  for (const kind of ['app logs', 'GenAI events'] as const) await measure(kind);
}

void main();
