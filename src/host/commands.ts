// The `Spanlight:` commands of the command palette.
import * as vscode from 'vscode';
import { isRecord } from '../base/isRecord';
import { parseOtlpHeaders } from '../forward/forwardTarget';
import { AUTH_TOKEN_SECRET, type EngineHost } from './engineHost';
import { FORWARD_HEADERS_SECRET } from './forwardingHost';

export function registerCommands(
  host: EngineHost,
  log: vscode.LogOutputChannel,
  secrets: vscode.SecretStorage,
): vscode.Disposable[] {
  const register = (id: string, run: (...args: unknown[]) => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (err) {
        const message = `Spanlight: ${(err as Error).message}`;
        log.error(message);
        void vscode.window.showErrorMessage(message);
      }
    });

  return [
    register('spanlight.startReceiver', () => host.startReceivers()),
    register('spanlight.stopReceiver', () => host.stopReceivers()),
    register('spanlight.showLogs', () => log.show()),
    register('spanlight.copyEndpoint', async () => {
      // In a follower window: the owner window's endpoint, which apps send to.
      const endpoint = host.httpUrl;
      if (!endpoint) {
        void vscode.window.showWarningMessage(host.notLiveReason ?? 'The Spanlight receiver is not listening in this window.');
        return;
      }
      await vscode.env.clipboard.writeText(endpoint);
      void vscode.window.showInformationMessage(`Copied ${endpoint} — set it as OTEL_EXPORTER_OTLP_ENDPOINT.`);
    }),
    register('spanlight.clearTraces', async (options?: unknown) => {
      // The trace source, not the store: in a window that does not host the receiver this clears the owner's.
      const source = host.traceSource;
      if (!source) return;
      // Only a programmatic caller (tests, other extensions) passes { confirm: false }: menus and the
      // palette pass nothing, so users always see the modal.
      if (isRecord(options) && options.confirm === false) return source.clear();
      const { total } = await source.listTraces({ limit: 1 });
      const answer = await vscode.window.showWarningMessage(
        `Delete all ${total} stored traces? Pinned traces are deleted too.`,
        { modal: true },
        'Delete All',
      );
      if (answer === 'Delete All') await source.clear();
    }),
    register('spanlight.setAuthToken', async () => {
      const token = await vscode.window.showInputBox({
        title: 'Spanlight receiver auth token',
        prompt: 'Exporters must send "Authorization: Bearer <token>". Leave empty to remove the token.',
        password: true,
        ignoreFocusOut: true,
      });
      if (token === undefined) return;
      if (token) await secrets.store(AUTH_TOKEN_SECRET, token);
      else await secrets.delete(AUTH_TOKEN_SECRET);
      await host.applySettings(true);
    }),
    // A caller may pass the headers (tests, other extensions); the palette asks for them, hidden as typed.
    register('spanlight.setForwardHeaders', async (given?: unknown) => {
      const headers =
        typeof given === 'string'
          ? given
          : await vscode.window.showInputBox({
              title: 'Spanlight forwarding headers',
              prompt: 'Sent with every forwarded export, as in OTEL_EXPORTER_OTLP_HEADERS: name=value,name2=value2 (values percent-encoded). Leave empty to remove them.',
              placeHolder: 'Authorization=Basic%20…',
              password: true,
              ignoreFocusOut: true,
              validateInput: (text) => {
                const parsed = parseOtlpHeaders(text);
                return 'error' in parsed ? parsed.error : undefined;
              },
            });
      if (headers === undefined) return;
      const parsed = parseOtlpHeaders(headers);
      if ('error' in parsed) throw new Error(parsed.error);
      if (headers.trim()) await secrets.store(FORWARD_HEADERS_SECRET, headers.trim());
      else await secrets.delete(FORWARD_HEADERS_SECRET);
      await host.applySettings(false);
    }),
  ];
}
