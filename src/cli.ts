// `spanlight serve`: the extension's receiver, store and JSON API without VS Code
// (devcontainers, CI, remote boxes, scripting, and our own tests and benchmarks).
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SpanlightEngine } from './engine';
import { forwardTargetOf } from './forward/forwardTarget';
import { DEFAULT_BODY_LIMIT_BYTES } from './receiver';
import { hostForUrl, isLoopbackHost } from './receiver/bindAddress';
import { storeLockOwner, tryAcquireStoreLock } from './store/storeLock';

declare const SPANLIGHT_VERSION: string | undefined;
const VERSION = typeof SPANLIGHT_VERSION === 'string' ? SPANLIGHT_VERSION : '0.0.0-dev';

const USAGE = `Usage: spanlight serve [options]

Runs the Spanlight OTLP receiver (HTTP + gRPC) and the read-only JSON API without VS Code.

Options:
  --port N          OTLP/HTTP and JSON API port (default 4318; 0: any free port)
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

/** Decimal digits only: `Number()` would take "" as 0 (a random port) and "0x3a98" or "1e4" as numbers. */
function intOption(value: string | undefined, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    fail(`${name} must be ${max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`}, got "${value}"`);
  }
  return n;
}

/** A message printed again within this is counted, not repeated (a misdirected exporter sends every few seconds). */
const REPEAT_QUIET_MS = 60_000;
const lastPrinted = new Map<string, { at: number; since: number }>();

/**
 * Engine errors are worded for VS Code's notifications ("Spanlight: …"); here each line already says
 * "spanlight:". The same message is printed at most once a minute, with how often it came meanwhile.
 */
function logError(err: Error): void {
  const message = err.message.replace(/^Spanlight: /, '');
  const now = Date.now();
  const last = lastPrinted.get(message);
  if (last && now - last.at < REPEAT_QUIET_MS) {
    last.since++;
    return;
  }
  const again = last?.since ? ` (${last.since} more since it was last printed)` : '';
  if (lastPrinted.size > 100) lastPrinted.clear();
  lastPrinted.set(message, { at: now, since: 0 });
  console.error(`spanlight: ${message}${again}`);
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
  // Every option is checked before anything is created or bound.
  const httpPort = intOption(values.port, '--port', 4318, 0, 65535);
  const grpcPort = intOption(values['grpc-port'], '--grpc-port', 4317, 0, 65535);
  if (grpcPort !== 0 && grpcPort === httpPort) fail(`--port and --grpc-port are both ${httpPort}: give them different ports (or --grpc-port 0 for no gRPC)`);
  const MiB = 1024 * 1024;
  const maxSpans = intOption(values['max-spans'], '--max-spans', 100_000, 1);
  const maxBytes = intOption(values['max-mib'], '--max-mib', 512, 1) * MiB;
  const bodyLimitBytes = intOption(values['body-limit-mib'], '--body-limit-mib', DEFAULT_BODY_LIMIT_BYTES / MiB, 1) * MiB;
  const host = values.host ?? '127.0.0.1';
  const authToken = values['auth-token'] ?? process.env.SPANLIGHT_AUTH_TOKEN;
  if (values['auth-token'] !== undefined) {
    console.error('spanlight: --auth-token is visible to every user of this machine (in the process list); SPANLIGHT_AUTH_TOKEN is not');
  }
  const storeDir = resolve(values.store ?? join(homedir(), '.spanlight', 'store'));
  // Headers come from the environment only: a command line is visible to every user of the machine.
  const forwarding = values.forward === undefined ? undefined : forwardTargetOf(values.forward, process.env.SPANLIGHT_FORWARD_HEADERS ?? '', { host, port: httpPort });
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
    maxSpans,
    maxBytes,
    onError: logError,
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
    host,
    httpPort,
    grpcPort: grpcPort === 0 ? undefined : grpcPort,
    bodyLimitBytes,
    corsOrigins: values.cors ?? [],
    authToken,
  });

  const failures = [status.http, status.grpc].filter((t) => t.state === 'error');
  if (failures.length > 0) {
    for (const t of failures) if (t.state === 'error') logError(new Error(t.message));
    await engine.close();
    lock.release();
    process.exit(1);
  }
  if (status.http.state === 'listening') {
    console.log(`spanlight ${VERSION}: OTLP/HTTP and JSON API on http://${hostForUrl(status.http.host)}:${status.http.port}`);
  }
  if (status.grpc.state === 'listening') console.log(`spanlight: OTLP/gRPC on ${hostForUrl(status.grpc.host)}:${status.grpc.port}`);
  // Only with a token (assertSafeBind refuses it without one): the token and every trace cross the network unencrypted.
  if (!isLoopbackHost(host)) console.error(`spanlight: listening on ${host}, reachable from other machines over plain HTTP and gRPC (no TLS)`);
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
  // SIGHUP: the terminal or SSH session closed. Without a handler Node exits at once, and a trace
  // acknowledged a moment before was not written yet.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown());
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === '-v' || command === '--version') {
    console.log(VERSION);
    return;
  }
  if (rest.includes('-v') || rest.includes('--version')) {
    console.log(VERSION);
    return;
  }
  if (command === '-h' || command === '--help' || rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE);
    return;
  }
  // A usage error, as an unknown command is: a script that forgot its command must not look successful.
  if (command === undefined) fail(`a command is missing\n\n${USAGE}`);
  if (command !== 'serve') fail(`unknown command "${command}"\n\n${USAGE}`);
  await serve(rest);
}

main().catch((err: Error) => {
  logError(err);
  process.exit(1);
});
