// The `Spanlight:` commands that belong to the views: open a trace, the sample, snippets, focus, refresh,
// and those of the sidebar rows' context menu (pin, delete, copy ids, export, open a span or its source),
// exporting the listed traces and importing traces from a file, and a call-site lens's click.
import * as vscode from 'vscode';
import type { SidebarMenuContext } from '../protocol/messages';
import type { ReplayKeys } from '../replay/replayKeys';
import { OPEN_CALL_SITE_COMMAND } from './callSiteLenses';
import { copyToClipboard } from './clipboard';
import { REPLAY_SPAN_COMMAND } from '../protocol/replay';
import type { ReplayPanels } from './replayPanel';
import { NoLongerStoredError, SidebarProvider } from './sidebarProvider';
import type { TraceFiles } from './traceFiles';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
/** A filter's text given to the command (semconv/session.ts cuts ids shorter). */
const MAX_FILTER_TEXT = 1000;

/** The ids a row's context menu was opened on. */
interface MenuTarget {
  traceId: string;
  spanId?: string;
}

/**
 * The row a context menu command is about: VS Code passes the row's merged `data-vscode-context`
 * (SidebarMenuContext). It comes from the webview, which renders untrusted trace content: its ids are
 * checked before anything is done with them.
 */
function menuTarget(context: unknown): MenuTarget {
  const { traceId, spanId } = (typeof context === 'object' && context !== null ? context : {}) as SidebarMenuContext;
  if (typeof traceId !== 'string' || !TRACE_ID.test(traceId)) throw new Error('this menu item needs a trace: open it from a row of the Traces view.');
  if (spanId !== undefined && (typeof spanId !== 'string' || !SPAN_ID.test(spanId))) throw new Error('this menu item was given no valid span id.');
  return spanId === undefined ? { traceId } : { traceId, spanId };
}

export function registerViewCommands(
  sidebar: SidebarProvider,
  files: TraceFiles,
  replay: { panels: ReplayPanels; keys: ReplayKeys },
  log: vscode.LogOutputChannel,
): vscode.Disposable[] {
  const register = (id: string, run: (...args: unknown[]) => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (err) {
        const message = `Spanlight: ${(err as Error).message}`;
        if (err instanceof NoLongerStoredError) {
          log.warn(message);
          void vscode.window.showWarningMessage(message);
          return;
        }
        log.error(message);
        void vscode.window.showErrorMessage(message);
      }
    });

  /** A context menu command of the sidebar's rows, given the row it was opened on. */
  const onRow = (id: string, run: (target: MenuTarget) => unknown): vscode.Disposable =>
    register(id, (context) => {
      sidebar.menuDone();
      return run(menuTarget(context));
    });
  const withSpan = (target: MenuTarget): string => {
    if (!target.spanId) throw new Error('this menu item needs a span: open it from a row of the span tree.');
    return target.spanId;
  };

  return [
    onRow('spanlight.pinTrace', ({ traceId }) => sidebar.setPinned(traceId, true)),
    onRow('spanlight.unpinTrace', ({ traceId }) => sidebar.setPinned(traceId, false)),
    onRow('spanlight.deleteTrace', ({ traceId }) => sidebar.deleteTrace(traceId)),
    // From a row's menu, or the palette for the trace open in the sidebar.
    register('spanlight.exportTrace', (context) => {
      sidebar.menuDone();
      const traceId = context === undefined ? sidebar.selectedTraceId : menuTarget(context).traceId;
      if (!traceId) throw new Error('open a trace in the Traces view first, or export it from its row\'s menu.');
      return files.exportTrace(traceId);
    }),
    register('spanlight.exportTraces', () => files.exportTraces(sidebar.listFilters)),
    register('spanlight.importTraces', () => files.importTraces()),
    // A file's menu in the explorer: that file.
    register('spanlight.importTraceFile', (file) => {
      if (!(file instanceof vscode.Uri)) throw new Error('choose a file in the Explorer to import, or use Spanlight: Import Traces….');
      return files.importTraces(file);
    }),
    onRow('spanlight.copyTraceId', ({ traceId }) => copyToClipboard(traceId, 'trace ID')),
    onRow('spanlight.copySpanId', (target) => copyToClipboard(withSpan(target), 'span ID')),
    onRow('spanlight.openSpanDetails', (target) => sidebar.openSpan(target.traceId, withSpan(target))),
    onRow('spanlight.goToSpanSource', (target) => sidebar.openSpanSource(target.traceId, withSpan(target))),
    // From the detail's Replay button and R on a span row: (traceId, spanId); from a span row's menu: the row's context.
    register(REPLAY_SPAN_COMMAND, (context, spanId) => {
      const fromButton = typeof context === 'string';
      if (!fromButton) sidebar.menuDone();
      const target = menuTarget(fromButton ? { traceId: context, spanId } : context);
      return replay.panels.show(target.traceId, withSpan(target));
    }),
    register('spanlight.forgetReplayKeys', async () => {
      const forgotten = await replay.keys.forgetAll();
      void vscode.window.showInformationMessage(
        forgotten === 0 ? 'Spanlight: no replay API key was stored.' : `Spanlight: forgot the replay API keys of ${forgotten === 1 ? 'one endpoint' : `${forgotten} endpoints`}; a replay asks again.`,
      );
    }),
    // A call-site lens's click: the latest span made at that line, in the sidebar and the detail.
    register(OPEN_CALL_SITE_COMMAND, (traceId, spanId) => {
      if (typeof traceId !== 'string' || !TRACE_ID.test(traceId) || typeof spanId !== 'string' || !SPAN_ID.test(spanId)) {
        throw new Error('this lens was given no valid trace and span id.');
      }
      return sidebar.revealSpan(traceId, spanId, 'the latest call of this line');
    }),
    register('spanlight.focusSidebar', () => vscode.commands.executeCommand(`${SidebarProvider.viewType}.focus`)),
    register('spanlight.sendSampleTrace', () => sidebar.sendSample()),
    register('spanlight.refreshTraces', () => sidebar.refresh()),
    // With text: a span's session or user id (the detail's links), to see that conversation's or user's traces.
    register('spanlight.filterTraces', (text?: unknown) => sidebar.focusFilter(typeof text === 'string' ? text.slice(0, MAX_FILTER_TEXT) : undefined)),
    register('spanlight.searchAllText', (typed?: unknown) => sidebar.searchAllText(typeof typed === 'string' ? typed : undefined)),
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
