// `spanlight serve` as a user runs it: a real process, real ports, a store that survives a restart.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FakeUpstream } from '../forward/fakeUpstream';

const CLI = join(__dirname, '../../../src/cli.ts');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runCli(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The CLI's last start-up line is its store's; the line naming its ports comes before it, maybe in another chunk. */
function started(run: Running): boolean {
  return /store .* \(\d+ traces\)/.test(run.output());
}

const TRACE = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cli-test' } }] },
      scopeSpans: [
        {
          scope: { name: 'manual' },
          spans: [
            {
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
              name: 'chat gpt-4o-mini',
              kind: 3,
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000001500000000',
              attributes: [
                { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
                { key: 'gen_ai.usage.input_tokens', value: { intValue: '120' } },
                { key: 'gen_ai.usage.output_tokens', value: { intValue: '40' } },
              ],
            },
          ],
        },
      ],
    },
  ],
};

describe('spanlight serve', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  /** Serves, takes TRACE, is stopped by `signal` (exiting 0), and serves again from the same store: the second server. */
  async function postThenRestart(args: string[], port: number, signal: NodeJS.Signals): Promise<Running> {
    const first = runCli(args);
    await waitFor(() => started(first), 'the first server');
    const post = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TRACE) });
    assert.equal(post.status, 200);
    first.child.kill(signal);
    assert.equal(await first.exited, 0, first.output());
    const second = runCli(args);
    cleanup.push(async () => {
      second.child.kill('SIGTERM');
      await second.exited;
    });
    await waitFor(() => started(second), 'the restarted server');
    return second;
  }

  test('serves OTLP and the JSON API, and keeps traces across a restart', async () => {
    const store = await mkdtemp(join(tmpdir(), 'spanlight-cli-'));
    cleanup.push(() => rm(store, { recursive: true, force: true }));
    const [port, grpcPort] = [await freePort(), await freePort()];
    const args = ['serve', '--port', String(port), '--grpc-port', String(grpcPort), '--store', store];

    await postThenRestart(args, port, 'SIGTERM');
    const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { ok: boolean; spans: number };
    assert.equal(health.ok, true);
    assert.equal(health.spans, 1);
    const list = (await (await fetch(`http://127.0.0.1:${port}/api/traces`)).json()) as {
      traces: { rootName: string; serviceName: string; inputTokens: number; costUsd?: number }[];
    };
    assert.equal(list.traces[0].rootName, 'chat gpt-4o-mini');
    // Its JSON API is read-only: pin, delete and clear are for VS Code windows that share a store.
    const traceUrl = `http://127.0.0.1:${port}/api/traces/5b8efff798038103d269b633813fc60c`;
    assert.equal((await fetch(traceUrl, { method: 'DELETE' })).status, 404);
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/traces`, { method: 'DELETE' })).status, 404);
    assert.equal((await fetch(`${traceUrl}/pin`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"pinned":true}' })).status, 404);
    assert.equal((await fetch(traceUrl)).status, 200, 'still there');
    assert.equal(list.traces[0].serviceName, 'cli-test');
    assert.equal(list.traces[0].inputTokens, 120);
    assert.ok((list.traces[0].costUsd ?? 0) > 0);
  });

  test('a second server on the same store exits non-zero with a message, and the first keeps serving it', async () => {
    const store = await mkdtemp(join(tmpdir(), 'spanlight-cli-'));
    cleanup.push(() => rm(store, { recursive: true, force: true }));
    const [port, grpcPort] = [await freePort(), await freePort()];
    const first = runCli(['serve', '--port', String(port), '--grpc-port', String(grpcPort), '--store', store]);
    cleanup.push(async () => {
      first.child.kill('SIGTERM');
      await first.exited;
    });
    await waitFor(() => first.output().includes('JSON API on'), 'the first server');

    const second = runCli(['serve', '--port', String(await freePort()), '--grpc-port', '0', '--store', store]);
    cleanup.push(async () => {
      second.child.kill('SIGTERM');
      await second.exited;
    });
    const stillRunning = new Promise<string>((resolve) => setTimeout(() => resolve('still running after 15 s'), 15_000).unref());
    assert.equal(await Promise.race([second.exited, stillRunning]), 1, second.output());
    assert.match(second.output(), new RegExp(`store .* is in use by another Spanlight \\(process ${first.child.pid}`));
    assert.match(second.output(), /--store/);
    const post = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TRACE) });
    assert.equal(post.status, 200);

    // Once the first has stopped, the store is free again.
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    const third = runCli(['serve', '--port', String(port), '--grpc-port', '0', '--store', store]);
    cleanup.push(async () => {
      third.child.kill('SIGTERM');
      await third.exited;
    });
    await waitFor(() => third.output().includes('(1 traces)'), 'the third server, with the first one\'s trace');
  });

  test('a busy port exits non-zero with a message naming the flag to change', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as net.AddressInfo).port;
    cleanup.push(() => new Promise((resolve) => blocker.close(resolve)));
    const store = await mkdtemp(join(tmpdir(), 'spanlight-cli-'));
    cleanup.push(() => rm(store, { recursive: true, force: true }));

    const run = runCli(['serve', '--port', String(busy), '--grpc-port', '0', '--store', store]);
    const code = await run.exited;
    assert.equal(code, 1);
    assert.match(run.output(), /already in use/);
    assert.match(run.output(), /--port/);
  });

  test('--forward sends each export on to an upstream, with headers from SPANLIGHT_FORWARD_HEADERS', async () => {
    const upstream = await FakeUpstream.start();
    cleanup.push(() => upstream.close());
    const store = await mkdtemp(join(tmpdir(), 'spanlight-cli-'));
    cleanup.push(() => rm(store, { recursive: true, force: true }));
    const port = await freePort();
    const run = runCli(['serve', '--port', String(port), '--grpc-port', '0', '--store', store, '--forward', `${upstream.url}/v1/traces`], {
      SPANLIGHT_FORWARD_HEADERS: 'Authorization=Bearer%20up-secret',
    });
    cleanup.push(async () => {
      run.child.kill('SIGTERM');
      await run.exited;
    });
    await waitFor(() => started(run), 'the server');
    assert.match(run.output(), new RegExp(`forwarding every export to ${upstream.url}\\n`));
    const body = JSON.stringify(TRACE);
    const post = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(post.status, 200);
    const [forwarded] = await upstream.waitForRequests(1);
    assert.equal(forwarded.path, '/v1/traces');
    assert.equal(forwarded.body.toString(), body);
    assert.equal(forwarded.headers.authorization, 'Bearer up-secret');
    assert.doesNotMatch(run.output(), /up-secret/, 'the header value is never printed');
  });

  test('a --forward endpoint that cannot work exits with the reason', async () => {
    const run = runCli(['serve', '--port', '0', '--forward', 'localhost:4328']);
    assert.equal(await run.exited, 2);
    assert.match(run.output(), /--forward: "localhost:4328" has no scheme: write http:\/\/localhost:4328/);
  });

  test('bad arguments exit with usage', async () => {
    const run = runCli(['serve', '--port', 'http']);
    assert.equal(await run.exited, 2);
    assert.match(run.output(), /--port must be an integer/);
  });

  test('ports are checked before anything is created: out of range, empty, hex or the same for both exit 2 with the reason', async () => {
    const store = join(await mkdtemp(join(tmpdir(), 'spanlight-cli-')), 'never-made');
    cleanup.push(() => rm(join(store, '..'), { recursive: true, force: true }));
    const cases: [string[], RegExp][] = [
      [['--port', '70000'], /--port must be an integer from 0 to 65535, got "70000"/],
      [['--port', ''], /--port must be an integer from 0 to 65535, got ""/],
      [['--grpc-port', '0x3a98'], /--grpc-port must be an integer/],
      [['--max-spans', '1e4'], /--max-spans must be an integer ≥ 1/],
      [['--port', '5000', '--grpc-port', '5000'], /--port and --grpc-port are both 5000/],
    ];
    for (const [args, message] of cases) {
      const run = runCli(['serve', '--store', store, ...args]);
      assert.equal(await run.exited, 2, args.join(' '));
      assert.match(run.output(), message);
    }
    await assert.rejects(rm(store), /ENOENT/, 'no store folder was made');
  });

  test('--version after the command prints it; no command at all is a usage error', async () => {
    const version = runCli(['serve', '--version']);
    assert.equal(await version.exited, 0);
    assert.match(version.output(), /^\d+\.\d+\.\d+/);
    const none = runCli([]);
    assert.equal(await none.exited, 2);
    assert.match(none.output(), /a command is missing[\s\S]*Usage: spanlight serve/);
  });

  test('an exporter posting to the wrong path is told which variable to fix, and the CLI says it once, not at every export', async () => {
    const store = await mkdtemp(join(tmpdir(), 'spanlight-cli-'));
    cleanup.push(() => rm(store, { recursive: true, force: true }));
    const port = await freePort();
    const run = runCli(['serve', '--port', String(port), '--grpc-port', '0', '--store', store]);
    cleanup.push(async () => {
      run.child.kill('SIGTERM');
      await run.exited;
    });
    await waitFor(() => run.output().includes('JSON API on'), 'the server');
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TRACE) });
      assert.equal(res.status, 404);
      assert.match(await res.text(), /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/);
    }
    await waitFor(() => run.output().includes('posted to /'), 'the message');
    assert.equal(run.output().match(/posted to \//g)?.length, 1, run.output());
    assert.doesNotMatch(run.output(), /spanlight: Spanlight:/);
  });

  test('closing its terminal (SIGHUP) stops it cleanly: an export acknowledged just before is kept', async () => {
    const store = await mkdtemp(join(tmpdir(), 'spanlight-cli-'));
    cleanup.push(() => rm(store, { recursive: true, force: true }));
    const port = await freePort();
    const second = await postThenRestart(['serve', '--port', String(port), '--grpc-port', '0', '--store', store], port, 'SIGHUP');
    assert.match(second.output(), /\(1 traces\)/);
  });
});
