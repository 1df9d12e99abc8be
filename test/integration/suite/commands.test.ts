// The `Spanlight:` commands, run through vscode.commands as the palette and menus run them.
import assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { eventually, health, isListening, newTraceId, otlpRequest, postTraces, readyReceiver, receiverUrl } from '../support';

suite('Commands', () => {
  let port: number;

  suiteSetup(async () => {
    port = await readyReceiver();
  });

  test('Copy OTLP Endpoint puts the receiver URL on the clipboard', async () => {
    await vscode.env.clipboard.writeText('not the endpoint');
    await vscode.commands.executeCommand('spanlight.copyEndpoint');
    assert.equal(await vscode.env.clipboard.readText(), receiverUrl(port));
  });

  test('Clear All Traces called with { confirm: false } deletes every trace without a modal', async () => {
    await postTraces(port, otlpRequest([{ traceId: newTraceId(), name: 'to be cleared', startMs: Date.now() }]));
    await eventually(async () => ((await health(port)).traces > 0 ? true : undefined), 'the posted trace to be stored');
    await vscode.commands.executeCommand('spanlight.clearTraces', { confirm: false });
    assert.equal((await health(port)).traces, 0);
  });

  test('Stop Receiver frees the port and Start Receiver listens on it again', async () => {
    await vscode.commands.executeCommand('spanlight.stopReceiver');
    assert.equal(await isListening(port), false, 'still listening after Stop Receiver');
    await vscode.commands.executeCommand('spanlight.startReceiver');
    assert.equal((await health(port)).ok, true);
  });
});
