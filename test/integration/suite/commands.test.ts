// The `Spanlight:` commands, run through vscode.commands as the palette and menus run them.
import assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { TraceDetail } from '../../../src/protocol/model';
import { eventually, getJson, health, isListening, newTraceId, otlpRequest, postTraces, readyReceiver, receiverUrl } from '../support';

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

  test("the context menu of the sidebar's rows pins, unpins, copies ids, opens a span and deletes the trace it was opened on", async () => {
    const traceId = newTraceId();
    await postTraces(port, otlpRequest([{ traceId, name: 'menu target', startMs: Date.now() }, { traceId, name: 'its child', parentName: 'menu target', startMs: Date.now() + 1 }]));
    const detail = (): Promise<{ status: number; body: TraceDetail }> => getJson<TraceDetail>(`${receiverUrl(port)}/api/traces/${traceId}`);
    const stored = await eventually(async () => ((await detail()).body.spans?.length === 2 ? (await detail()).body : undefined), 'the posted trace to be stored');
    const child = stored.spans.find((s) => s.name === 'its child');
    assert.ok(child);
    // What VS Code passes a webview/context command: the row's data-vscode-context, merged with its ancestors'.
    const traceRow = { webview: 'spanlight.traces', webviewSection: 'trace', traceId, tracePinned: false, preventDefaultContextMenuItems: true };
    const spanRow = { webview: 'spanlight.traces', webviewSection: 'span', traceId, tracePinned: true, spanId: child.spanId, preventDefaultContextMenuItems: true };

    await vscode.commands.executeCommand('spanlight.pinTrace', traceRow);
    assert.equal((await detail()).body.summary.pinned, true, 'Pin Trace');
    await vscode.commands.executeCommand('spanlight.unpinTrace', { ...traceRow, tracePinned: true });
    assert.equal((await detail()).body.summary.pinned, false, 'Unpin Trace');

    await vscode.commands.executeCommand('spanlight.copyTraceId', spanRow);
    assert.equal(await vscode.env.clipboard.readText(), traceId);
    await vscode.commands.executeCommand('spanlight.copySpanId', spanRow);
    assert.equal(await vscode.env.clipboard.readText(), child.spanId);

    await vscode.commands.executeCommand('spanlight.openSpanDetails', spanRow);
    await eventually(
      async () => (vscode.window.tabGroups.all.some((g) => g.tabs.some((tab) => tab.label === 'its child')) ? true : undefined),
      'a detail tab titled with the span name',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // Ids that are no ids (a webview rendering untrusted content made them up) do nothing.
    await vscode.commands.executeCommand('spanlight.deleteTrace', { ...traceRow, traceId: `${traceId.slice(0, 31)}/` });
    await vscode.commands.executeCommand('spanlight.deleteTrace', { webview: 'spanlight.traces', webviewSection: 'trace' });
    await vscode.commands.executeCommand('spanlight.copySpanId', { ...spanRow, spanId: '../../etc' });
    assert.equal(await vscode.env.clipboard.readText(), child.spanId);
    assert.equal((await detail()).status, 200, 'a malformed id deleted the trace');

    await vscode.commands.executeCommand('spanlight.deleteTrace', traceRow);
    await eventually(async () => ((await detail()).status === 404 ? true : undefined), 'Delete Trace to remove the trace');
  });

  test("Go to Source on a span row opens the span's recorded file at its line; a span without one gets a message, not an exception", async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test profile opens a workspace folder');
    const file = vscode.Uri.joinPath(folder, 'agent_source.py');
    await vscode.workspace.fs.writeFile(file, Buffer.from('import os\n\ndef run_agent():\n    return os.getcwd()\n'));
    const traceId = newTraceId();
    await postTraces(
      port,
      otlpRequest([
        { traceId, name: 'run_agent', startMs: Date.now(), attributes: [{ key: 'code.filepath', value: { stringValue: file.fsPath } }, { key: 'code.lineno', value: { intValue: 3 } }] },
        { traceId, name: 'no source', parentName: 'run_agent', startMs: Date.now() + 1 },
      ]),
    );
    const stored = await eventually(async () => {
      const { body } = await getJson<TraceDetail>(`${receiverUrl(port)}/api/traces/${traceId}`);
      return body.spans?.length === 2 ? body : undefined;
    }, 'the posted trace to be stored');
    const spanRow = (name: string) => ({ webview: 'spanlight.traces', webviewSection: 'span', traceId, spanId: stored.spans.find((s) => s.name === name)?.spanId });

    await vscode.commands.executeCommand('spanlight.goToSpanSource', { ...spanRow('run_agent'), spanHasSource: true });
    const editor = await eventually(async () => (vscode.window.activeTextEditor?.document.uri.fsPath === file.fsPath ? vscode.window.activeTextEditor : undefined), 'the source file to open');
    assert.equal(editor.selection.active.line, 2, 'at the recorded line (1-based 3)');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    await vscode.commands.executeCommand('spanlight.goToSpanSource', spanRow('no source'));
    assert.equal(vscode.window.activeTextEditor, undefined, 'nothing opened for a span without a source');
  });

  test("a path recorded elsewhere (a container) opens the workspace's own file of that name, never a virtual environment's", async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const own = vscode.Uri.joinPath(folder, 'src', 'app', 'planner_step.py');
    // Shorter than the app's own path: only the exclusion of installed libraries keeps it out.
    const installed = vscode.Uri.joinPath(folder, '.venv', 'planner_step.py');
    for (const file of [own, installed]) await vscode.workspace.fs.writeFile(file, Buffer.from('def plan():\n    return 1\n'));
    const traceId = newTraceId();
    const attributes = [{ key: 'code.filepath', value: { stringValue: '/app/planner_step.py' } }, { key: 'code.lineno', value: { intValue: 2 } }];
    await postTraces(port, otlpRequest([{ traceId, name: 'plan', startMs: Date.now(), attributes }]));
    const stored = await eventually(async () => (await getJson<TraceDetail>(`${receiverUrl(port)}/api/traces/${traceId}`)).body.spans?.[0], 'the posted span to be stored');
    await vscode.commands.executeCommand('spanlight.goToSpanSource', { webview: 'spanlight.traces', webviewSection: 'span', traceId, spanId: stored.spanId });
    await eventually(async () => (vscode.window.activeTextEditor?.document.uri.fsPath === own.fsPath ? true : undefined), `${own.fsPath} to open`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Stop Receiver frees the port and Start Receiver listens on it again', async () => {
    await vscode.commands.executeCommand('spanlight.stopReceiver');
    assert.equal(await isListening(port), false, 'still listening after Stop Receiver');
    await vscode.commands.executeCommand('spanlight.startReceiver');
    assert.equal((await health(port)).ok, true);
  });
});
