// The sidebar runs host commands through a message: the host runs only the ones its buttons use.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isWebviewCommand, WEBVIEW_COMMANDS } from '../../../src/protocol/messages';

test('only the sidebar buttons\' commands pass, nothing a compromised webview could ask for', () => {
  for (const command of WEBVIEW_COMMANDS) assert.equal(isWebviewCommand(command), true, command);
  for (const command of ['workbench.action.terminal.new', 'spanlight.clearTraces', 'vscode.open', '', undefined, 42, { command: 'spanlight.showLogs' }]) {
    assert.equal(isWebviewCommand(command), false, JSON.stringify(command));
  }
});

test('every command the sidebar posts is on the list, and every listed command is contributed', () => {
  const contributed = new Set(
    (JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command),
  );
  for (const command of WEBVIEW_COMMANDS) assert.ok(contributed.has(command), command);
  const source = readFileSync(join(__dirname, '../../../webview/src/sidebar/receiverStatusView.ts'), 'utf8');
  const posted = [...source.matchAll(/type: 'command', command: '([^']+)'/g)].map((m) => m[1]);
  assert.ok(posted.length > 0);
  for (const command of posted) assert.ok(isWebviewCommand(command), command);
});
