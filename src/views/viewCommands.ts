// The `Spanlight:` commands that belong to the views: open a trace, the sample, snippets, focus, refresh.
import * as vscode from 'vscode';
import { copyToClipboard } from './clipboard';
import { SidebarProvider } from './sidebarProvider';

const TRACE_ID = /^[0-9a-f]{32}$/;

export function registerViewCommands(sidebar: SidebarProvider, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const register = (id: string, run: () => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, async () => {
      try {
        await run();
      } catch (err) {
        const message = `Spanlight: ${(err as Error).message}`;
        log.error(message);
        void vscode.window.showErrorMessage(message);
      }
    });

  return [
    register('spanlight.focusSidebar', () => vscode.commands.executeCommand(`${SidebarProvider.viewType}.focus`)),
    register('spanlight.sendSampleTrace', () => sidebar.sendSample()),
    register('spanlight.refreshTraces', () => sidebar.refresh()),
    register('spanlight.filterTraces', () => sidebar.focusFilter()),
    register('spanlight.openTrace', async () => {
      const input = await vscode.window.showInputBox({
        title: 'Open trace',
        prompt: 'Trace id (32 hex characters), as printed by your app or shown in another tool',
        placeHolder: '4bf92f3577b34da6a3ce929d0e0e4736',
        ignoreFocusOut: true,
        validateInput: (value) =>
          TRACE_ID.test(value.trim().toLowerCase().replace(/-/g, '')) ? undefined : 'A trace id is 32 hexadecimal characters.',
      });
      if (input === undefined) return;
      // W3C traceparent and some UIs print the id with dashes or upper case; the store keys are lowercase hex.
      await sidebar.selectTrace(input.trim().toLowerCase().replace(/-/g, ''));
    }),
    register('spanlight.copyEnvSnippet', async () => {
      const snippets = sidebar.receiverView().snippets;
      const pick = await vscode.window.showQuickPick(
        snippets.map((s) => ({ label: s.label, detail: s.detail, snippet: s })),
        { title: 'Copy exporter set-up', placeHolder: 'Which app sends traces to Spanlight?' },
      );
      if (pick) await copyToClipboard(pick.snippet.text, `${pick.snippet.label} set-up`);
    }),
  ];
}
