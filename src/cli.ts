// `spanlight serve`: the extension's receiver, store and JSON API without VS Code
// (devcontainers, CI, remote boxes, scripting, and our own tests and benchmarks).
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SpanlightEngine } from './engine';
import { forwardTargetOf } from './forward/forwardTarget';
import { DEFAULT_BODY_LIMIT_BYTES } from './receiver';
import { storeLockOwner, tryAcquireStoreLock } from './store/storeLock';

declare const SPANLIGHT_VERSION: string | undefined;
const VERSION = typeof SPANLIGHT_VERSION === 'string' ? SPANLIGHT_VERSION : '0.0.0-dev';

const USAGE = `Usage: spanlight serve [options]

Runs the Spanlight OTLP receiver (HTTP + gRPC) and the read-only JSON API without VS Code.

Options:
  --port N          OTLP/HTTP and JSON API port (default 4318)
  --grpc-port N     OTLP/gRPC port (default 4317; 0 disables gRPC)
  --host HOST       interface to bind (default 127.0.0.1; other hosts need --auth-token)
  --store DIR       where traces are kept (default ~/.spanlight/store)
  --max-spans N     retention: most spans kept (default 100000)
  --max-mib N       retention: most MiB of spans kept (default 512)
  --body-limit-mib N  largest request accepted, after decompression (default 16)
  --auth-token T    require "Authorization: Bearer T" (also SPANLIGHT_AUTH_TOKEN)
  --cors ORIGIN     allow a browser origin (repeatable)
  --forward URL     also send every accepted export to this OTLP/HTTP endpoint (a Collector, Langfuse,
                    Phoenix…), given as for OTEL_EXPORTER_OTLP_ENDPOINT; headers for it (e.g. auth)
                    from SPANLIGHT_FORWARD_HEADERS, in OTEL_EXPORTER_OTLP_HEADERS form (key=value,…)
  -h, --help        show this help
  -v, --version     print the version
`;

function fail(message: string): never {
  console.error(`spanlight: ${message}`);
  process.exit(2);
}

function intOption(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

async function serve(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'grpc-port': { type: 'string' },
        host: { type: 'string' },
        store: { type: 'string' },
        'max-spans': { type: 'string' },
        'max-mib': { type: 'string' },
        'body-limit-mib': { type: 'string' },
        'auth-token': { type: 'string' },
        cors: { type: 'string', multiple: true },
        forward: { type: 'string' },
      },
      strict: true,
    });
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`);
  }
  const { values } = parsed;
  const httpPort = intOption(values.port, '--port', 4318);
  const grpcPort = intOption(values['grpc-port'], '--grpc-port', 4317);
  const storeDir = resolve(values.store ?? join(homedir(), '.spanlight', 'store'));
  const MiB = 1024 * 1024;
  // Headers come from the environment only: a command line is visible to every user of the machine.
  const forwarding = values.forward === undefined ? undefined : forwardTargetOf(values.forward, process.env.SPANLIGHT_FORWARD_HEADERS ?? '', { host: values.host ?? '127.0.0.1', port: httpPort });
  if (forwarding && 'error' in forwarding) fail(`--forward: ${forwarding.error}`);

  // One process appends to a store: two would number their records alike and write over each other's
  // (a VS Code window on the same folder takes the same lock).
  await mkdir(storeDir, { recursive: true });
  const lock = tryAcquireStoreLock(storeDir);
  if (!lock) {
    const owner = storeLockOwner(storeDir);
    console.error(
      `spanlight: the store ${storeDir} is in use by another Spanlight (process ${owner ?? 'unknown'}: a "spanlight serve" or a VS Code window). Stop it, or give this one its own folder with --store.`,
    );
    process.exit(1);
  }

  const engine = await SpanlightEngine.open({
    storeDir,
    version: VERSION,
    maxSpans: intOption(values['max-spans'], '--max-spans', 100_000, 1),
    maxBytes: intOption(values['max-mib'], '--max-mib', 512, 1) * MiB,
    onError: (err) => console.error(`spanlight: ${err.message}`),
  });
  if (forwarding) {
    const forwarder = engine.setForwarding(forwarding.target);
    forwarder?.onDidStartDropping((s) =>
      console.error(`spanlight: dropping exports that cannot be forwarded to ${s.endpoint} fast enough (they are stored here)`),
    );
    forwarder?.onDidChangeStatus((s) => {
      if (s.state === 'ok') console.log(`spanlight: forwarding to ${s.endpoint} again`);
      else console.error(`spanlight: forwarding to ${s.endpoint}: ${s.lastError ?? s.state}${s.state === 'retrying' ? ' (retrying)' : ''}`);
    });
  }
  const status = await engine.startReceivers({
    host: values.host ?? '127.0.0.1',
    httpPort,
    grpcPort: grpcPort === 0 ? undefined : grpcPort,
    bodyLimitBytes: intOption(values['body-limit-mib'], '--body-limit-mib', DEFAULT_BODY_LIMIT_BYTES / MiB, 1) * MiB,
    corsOrigins: values.cors ?? [],
    authToken: values['auth-token'] ?? process.env.SPANLIGHT_AUTH_TOKEN,
  });

  const failures = [status.http, status.grpc].filter((t) => t.state === 'error');
  if (failures.length > 0) {
    for (const t of failures) if (t.state === 'error') console.error(`spanlight: ${t.message}`);
    await engine.close();
    lock.release();
    process.exit(1);
  }
  if (status.http.state === 'listening') {
    console.log(`spanlight ${VERSION}: OTLP/HTTP and JSON API on http://${status.http.host}:${status.http.port}`);
  }
  if (status.grpc.state === 'listening') console.log(`spanlight: OTLP/gRPC on ${status.grpc.host}:${status.grpc.port}`);
  if (forwarding) console.log(`spanlight: forwarding every export to ${forwarding.target.endpoint}`);
  console.log(`spanlight: store ${storeDir} (${engine.store.stats().traces} traces)`);

  let closing = false;
  const shutdown = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await engine.close();
    lock.release();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === '-v' || command === '--version') {
    console.log(VERSION);
    return;
  }
  if (command === undefined || command === '-h' || command === '--help' || rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE);
    return;
  }
  if (command !== 'serve') fail(`unknown command "${command}"\n\n${USAGE}`);
  await serve(rest);
}

main().catch((err: Error) => {
  console.error(`spanlight: ${err.message}`);
  process.exit(1);
});
