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

/** One export of 512 records of the kind, request `index` of a deterministic series. */
function logsExport(kind: Kind, index: number): Buffer {
  const random = rng(index * 7919 + (kind === 'app logs' ? 1 : 2));
  const records = Array.from({ length: RECORDS_PER_EXPORT }, (_, i) => {
    const time = (1_760_000_000_000 + index * 1000 + i) * 1_000_000;
    const ids = { traceId: hex(random, 16), spanId: hex(random, 8) };
    if (kind === 'app logs') {
      return {
        ...ids,
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
    }
    // As opentelemetry-instrumentation-openai-v2 sends them: the event's name, its content in the body.
    const name = ['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.choice'][i % 3];
    const content = str(prose(random, 2000 + Math.floor(random() * 6000)));
    const body =
      name === 'gen_ai.choice'
        ? { kvlistValue: { values: [{ key: 'index', value: { intValue: 0 } }, { key: 'finish_reason', value: str('stop') }, { key: 'message', value: { kvlistValue: { values: [{ key: 'role', value: str('assistant') }, { key: 'content', value: content }] } } }] } }
        : { kvlistValue: { values: [{ key: 'content', value: content }] } };
    return { ...ids, timeUnixNano: time, observedTimeUnixNano: time, severityNumber: 9, eventName: name, body, attributes: [{ key: 'gen_ai.system', value: str('openai') }] };
  });
  const request = {
    resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: str('support-bot') }] }, scopeLogs: [{ scope: { name: 'opentelemetry.instrumentation.openai_v2' }, logRecords: records }] }],
  };
  return Buffer.from(otlpTypes.ExportLogsServiceRequest.encode(otlpTypes.ExportLogsServiceRequest.fromObject(request)).finish());
}

v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(kind: Kind): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spanlight-logs-bench-'));
  const engine = await SpanlightEngine.open({ storeDir: dir, version: 'bench' });
  try {
    const bodies = Array.from({ length: WARMUP + EXPORTS }, (_, i) => logsExport(kind, i));
    // Making the bodies leaves garbage of this process's own, which must not be collected on the exports' time.
    collectGarbage();
    const busy: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < bodies.length; i++) {
      const before = performance.eventLoopUtilization();
      const start = performance.now();
      await receiveExport(engine.pipeline, 'logs', 'protobuf', bodies[i], () => undefined);
      const elapsed = performance.now() - start;
      const used = performance.eventLoopUtilization(before);
      if (i < WARMUP) continue;
      busy.push(used.active);
      wall.push(elapsed);
    }
    const mb = bodies[0].byteLength / 1e6;
    const records = EXPORTS * RECORDS_PER_EXPORT;
    const seconds = wall.reduce((a, b) => a + b, 0) / 1000;
    console.log(
      `  ${kind.padEnd(13)} ${mb.toFixed(2).padStart(5)} MB  main thread busy ${median(busy).toFixed(1).padStart(6)} ms/export (max ${Math.max(...busy).toFixed(1)})` +
        `  wall ${median(wall).toFixed(1).padStart(6)} ms/export  ${Math.round(records / seconds).toLocaleString('en-US').padStart(8)} records/s`,
    );
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`Logs ingest: ${EXPORTS} exports of ${RECORDS_PER_EXPORT} records each (after ${WARMUP} warm-up), one at a time, medians`);
  for (const kind of ['app logs', 'GenAI events'] as const) await measure(kind);
}

void main();
