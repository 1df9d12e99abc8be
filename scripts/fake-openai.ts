// Runs the fake OpenAI-compatible server (test/support/fakeOpenAI.ts) in the foreground, for the demo and manual tries:
//
//   node --import tsx scripts/fake-openai.ts --port 8787 [--host 127.0.0.1] [--log]
//
// Then point any OpenAI client at it: OPENAI_BASE_URL=http://127.0.0.1:8787/v1 OPENAI_API_KEY=fake
// Model `fail-429` / `fail-500` (or header `x-fake-error: 500`) returns an error; `x-fake-delay-ms` slows a reply.
import { parseArgs } from 'node:util';
import { startFakeOpenAI } from '../test/support/fakeOpenAI';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      log: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: node --import tsx scripts/fake-openai.ts [--port 8787] [--host 127.0.0.1] [--log]');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);

  const fake = await startFakeOpenAI({ port, host: values.host });
  console.log(`fake OpenAI listening at ${fake.url}  (OPENAI_BASE_URL=${fake.url} OPENAI_API_KEY=fake)`);
  if (values.log) {
    // The request list only grows; print each new entry as it lands.
    let printed = 0;
    setInterval(() => {
      for (; printed < fake.requests.length; printed++) {
        const r = fake.requests[printed];
        const model = typeof r.body === 'object' && r.body !== null && 'model' in r.body ? String(r.body.model) : '';
        console.log(`${r.receivedAt.toISOString()} ${r.method} ${r.path} ${model}`);
      }
    }, 200).unref();
  }
  const stop = () => {
    fake.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
