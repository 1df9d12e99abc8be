// Spanlight starts in a real extension host: activation, its commands, its receiver on the profile's ports.
import assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { activateSpanlight, eventually, health, setting, untilListening } from '../support';

suite('Activation', () => {
  test('the extension activates in the extension host', async () => {
    const extension = await activateSpanlight();
    assert.equal(extension.isActive, true);
  });

  test('every command contributed in package.json is registered', async () => {
    const extension = await activateSpanlight();
    const contributed = (extension.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), [], 'contributed but not registered');
  });

  test("the Get Started walkthrough's media are in the extension and its links run registered commands", async () => {
    const extension = await activateSpanlight();
    type Step = { id: string; description: string; media: { markdown: string }; completionEvents: string[] };
    const [walkthrough] = extension.packageJSON.contributes.walkthroughs as { steps: Step[] }[];
    assert.ok(walkthrough.steps.length >= 4, 'its steps');
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of walkthrough.steps) {
      const media = vscode.Uri.joinPath(extension.extensionUri, step.media.markdown);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(media));
      assert.match(text, /^# /, `${step.id}: ${step.media.markdown} is its page`);
      const commands = [...step.description.matchAll(/\(command:([\w.]+)\)/g), ...step.completionEvents.join(' ').matchAll(/onCommand:([\w.]+)/g)].map((m) => m[1]);
      assert.ok(commands.length > 0, `${step.id} names a command`);
      assert.deepEqual(commands.filter((id) => !registered.has(id)), [], `${step.id}: commands not registered`);
    }
  });

  test('the HTTP receiver and JSON API answer on spanlight.receiver.httpPort', async () => {
    const extension = await activateSpanlight();
    const port = setting<number>('receiver.httpPort');
    const info = await eventually(async () => {
      const h = await health(port);
      return h.ok ? h : undefined;
    }, `/api/health on ${port}`);
    assert.equal(info.version, extension.packageJSON.version);
  });

  test('the gRPC receiver listens on spanlight.receiver.grpcPort', async () => {
    await activateSpanlight();
    const port = setting<number>('receiver.grpcPort');
    await untilListening(port, `gRPC on ${port}`);
  });
});
