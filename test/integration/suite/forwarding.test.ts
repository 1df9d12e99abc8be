// Forwarding set up as a user does it: the endpoint in settings, the headers through the command (kept
// in secret storage), exports posted the way an app posts them, a real upstream on loopback.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { eventually, health, newTraceId, otlpRequest, postTraces, readyReceiver, receiverUrl, updateSetting } from '../support';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

suite('Forwarding', () => {
  let port: number;
  const received: Received[] = [];
  const upstream = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  let upstreamUrl: string;

  suiteSetup(async () => {
    port = await readyReceiver();
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });

  teardown(async () => {
    await updateSetting('forward.endpoint', undefined);
    await vscode.commands.executeCommand('spanlight.setForwardHeaders', '');
  });

  suiteTeardown(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

  test('with spanlight.forward.endpoint set, each export reaches the upstream with the secret headers; unset, none does', async () => {
    await vscode.commands.executeCommand('spanlight.setForwardHeaders', 'x-upstream-key=integration%20secret');
    await updateSetting('forward.endpoint', upstreamUrl);
    await eventually(async () => ((await health(port)).forward?.endpoint === upstreamUrl ? true : undefined), 'forwarding in /api/health');

    const traceId = newTraceId();
    const request = otlpRequest([{ traceId, name: 'forwarded call', startMs: Date.now() }]);
    await postTraces(port, request);
    const forwarded = await eventually(async () => received.find((r) => r.body.includes(traceId)), 'the export at the upstream');
    assert.equal(forwarded.path, '/v1/traces');
    assert.equal(forwarded.headers['x-upstream-key'], 'integration secret');
    assert.equal(forwarded.body, JSON.stringify(request), 'the bytes the app sent');
    assert.equal((await health(port)).forward?.sent, 1);

    await updateSetting('forward.endpoint', undefined);
    await eventually(async () => ((await health(port)).forward === undefined ? true : undefined), 'forwarding off');
    const later = newTraceId();
    await postTraces(port, otlpRequest([{ traceId: later, name: 'not forwarded', startMs: Date.now() }]));
    await eventually(async () => ((await fetch(`${receiverUrl(port)}/api/traces/${later}`)).status === 200 ? true : undefined), 'the trace stored');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(received.filter((r) => r.body.includes(later)).length, 0);
  });

  test("an endpoint that is the receiver's own address is refused, and traces are still stored", async () => {
    await updateSetting('forward.endpoint', receiverUrl(port));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await health(port)).forward, undefined);
    const traceId = newTraceId();
    await postTraces(port, otlpRequest([{ traceId, name: 'kept here', startMs: Date.now() }]));
    await eventually(async () => ((await fetch(`${receiverUrl(port)}/api/traces/${traceId}`)).status === 200 ? true : undefined), 'the trace stored');
  });
});
