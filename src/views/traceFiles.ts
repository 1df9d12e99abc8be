// Traces to and from files: Export Trace writes one trace as OTLP/JSON lines (otlp/otlpJsonFile.ts),
// as it was received, GenAI log records included, and Export Listed Traces the traces the sidebar lists
// (a conversation's turns, once filtered by its id); Import Traces sends a file of such lines — one
// Spanlight wrote, or an OpenTelemetry Collector's file exporter — to the receiver, request by request,
// as an app would. So a trace can be attached to a bug report, kept beside the code it came from, or
// brought in from CI, and an import meets the receiver's checks and size limit like any export.
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { OtlpFileError, type OtlpFile } from '../otlp/otlpJsonFile';
import { readOtlpFile } from '../otlp/readOtlpFile';
import { formatCountOf } from '../protocol/format';
import type { TraceQuery, TraceSummary } from '../protocol/model';
import { listedTraces } from './listedTraces';
import { postOtlpJson } from './postToReceiver';
import { NoLongerStoredError, type ReceiverInfo } from './sidebarProvider';
import type { TraceAccess, ViewTraceSource } from './traceAccess';

const FILE_FILTERS = { 'OTLP/JSON lines': ['jsonl', 'ndjson', 'json'] };
/** What an import opens: those, the Collector's binary files (named as its config says: often without an extension), anything. */
const IMPORT_FILTERS = { 'OTLP files': ['jsonl', 'ndjson', 'json', 'pb', 'binpb'], 'All files': ['*'] };
/**
 * The most JSON one export writes: it is built in the extension host's memory (workspace.fs writes whole
 * files, and any file system may be behind the URI). A whole 100k-span store can be more.
 */
const MAX_EXPORT_BYTES = 512 * 1024 * 1024;

export interface TraceFilesDeps {
  access: TraceAccess;
  receiver: Pick<ReceiverInfo, 'httpUrl' | 'authToken'>;
  /** Shows a trace just sent to the receiver in the sidebar (SidebarProvider.selectSentTrace). */
  showTrace: (traceId: string) => Promise<void>;
  log: vscode.LogOutputChannel;
}

export class TraceFiles {
  constructor(private readonly deps: TraceFilesDeps) {}

  async exportTrace(traceId: string): Promise<void> {
    const source = this.deps.access.current();
    const summary = await source?.getSummary(traceId);
    if (!source || !summary) throw new NoLongerStoredError('this trace is no longer stored (deleted, or removed by retention).');
    const uri = await vscode.window.showSaveDialog({
      title: `Export trace “${summary.rootName}”`,
      saveLabel: 'Export',
      filters: FILE_FILTERS,
      defaultUri: defaultExportUri(summary),
    });
    if (!uri) return;
    const file = await source.getTraceFile(traceId);
    if (!file) throw new NoLongerStoredError('this trace was removed while it was being exported.');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(file.text, 'utf8'));
    const left = file.unreadable > 0 ? ` ${damagedText(file.unreadable)}` : '';
    this.deps.log.info(`Exported trace ${traceId} (${file.spans} spans) to ${uri.toString(true)}.${left}`);
    const open = await vscode.window.showInformationMessage(`Spanlight: exported ${formatCountOf(file.spans, 'span')} of “${summary.rootName}” to ${posix.basename(uri.path)}.${left}`, 'Open File');
    if (open) await vscode.window.showTextDocument(uri);
  }

  /** Every trace the list shows under `filters` (the sidebar's), oldest first, in one file. */
  async exportTraces(filters: TraceQuery): Promise<void> {
    const source = this.deps.access.current();
    if (!source) throw new Error('no trace store is open in this window.');
    const filtered = Object.keys(filters).length > 0;
    const traces = await listedTraces(source, filters);
    if (traces.length === 0) {
      void vscode.window.showInformationMessage(`Spanlight: no traces to export${filtered ? ': none matches the filter' : ''}.`);
      return;
    }
    const what = `${formatCountOf(traces.length, 'trace')}${filtered ? ' (the list as filtered)' : ''}`;
    const uri = await vscode.window.showSaveDialog({ title: `Export ${what}`, saveLabel: 'Export', filters: FILE_FILTERS, defaultUri: defaultListExportUri(filters) });
    if (!uri) return;
    const written = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Spanlight: exporting ${formatCountOf(traces.length, 'trace')}`, cancellable: true },
      (progress, cancel) => collectFiles(source, traces, progress, cancel),
    );
    if (!written) {
      void vscode.window.showInformationMessage('Spanlight: export cancelled; nothing was written.');
      return;
    }
    await vscode.workspace.fs.writeFile(uri, Buffer.concat(written.chunks));
    const notes = [
      written.gone > 0 ? `${formatCountOf(written.gone, 'trace')} removed meanwhile left out.` : '',
      written.unreadable > 0 ? damagedText(written.unreadable) : '',
      written.over > 0 ? `The last ${formatCountOf(written.over, 'trace')} did not fit in ${MAX_EXPORT_BYTES / 1024 / 1024} MiB: filter the list to export them.` : '',
    ].filter(Boolean);
    const message = `exported ${formatCountOf(written.spans, 'span')} in ${formatCountOf(written.traces, 'trace')} to ${posix.basename(uri.path)}.${notes.map((n) => ` ${n}`).join('')}`;
    this.deps.log.info(`${message} (${uri.toString(true)})`);
    const open = await vscode.window.showInformationMessage(`Spanlight: ${message}`, 'Open File');
    if (open) await vscode.window.showTextDocument(uri);
  }

  /** Imports `file` (the explorer's menu), else the file the user picks. */
  async importTraces(file?: vscode.Uri): Promise<void> {
    const url = this.deps.receiver.httpUrl;
    if (!url) throw new Error('the receiver is not running in any window. Start it (Spanlight: Start Receiver) to import traces: they are sent to it as an app sends them.');
    const [uri] = file ? [file] : ((await vscode.window.showOpenDialog({ title: 'Import traces (OTLP/JSON or protobuf)', openLabel: 'Import', canSelectMany: false, filters: IMPORT_FILTERS })) ?? []);
    if (!uri) return;
    const name = posix.basename(uri.path);
    const read = readFile(name, await vscode.workspace.fs.readFile(uri));
    const token = await this.deps.receiver.authToken();
    const sent = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Spanlight: importing ${name}`, cancellable: true },
      (progress, cancel) => this.send(url, token, read, name, progress, cancel),
    );
    const traceIds = [...new Set(read.requests.slice(0, sent.requests).flatMap((r) => r.traceIds))];
    const message = importedText(name, read, sent, traceIds.length);
    this.deps.log.info(`Import: ${message}`);
    if (sent.rejected > 0) void vscode.window.showWarningMessage(`Spanlight: ${message}`);
    else void vscode.window.showInformationMessage(`Spanlight: ${message}`);
    // The first trace of the file is shown: what a user importing one trace (the usual case) came for.
    if (traceIds.length > 0) await this.deps.showTrace(traceIds[0]);
  }

  private async send(url: string, token: string | undefined, file: OtlpFile, name: string, progress: vscode.Progress<{ message?: string; increment?: number }>, cancel: vscode.CancellationToken): Promise<Sent> {
    const sent: Sent = { requests: 0, spans: 0, logs: 0, rejected: 0, reasons: [] };
    const abort = new AbortController();
    const cancelled = cancel.onCancellationRequested(() => abort.abort());
    try {
      for (const request of file.requests) {
        if (cancel.isCancellationRequested) break;
        progress.report({ message: `${sent.requests + 1} of ${file.requests.length}`, increment: 100 / file.requests.length });
        let posted;
        try {
          posted = await postOtlpJson(url, request.signal, request.json, token, abort.signal);
        } catch (err) {
          if (abort.signal.aborted) break;
          const at = file.requests.length > 1 ? ` (${file.unit} ${request.line})` : '';
          const before = sent.requests === 0 ? '' : sent.requests === 1 ? ' The request before it was imported.' : ` The ${sent.requests} requests before it were imported.`;
          throw new Error(`importing ${name}${at}: ${(err as Error).message}${before}`, { cause: err });
        }
        sent.requests++;
        sent[request.signal === 'traces' ? 'spans' : 'logs'] += request.items - posted.rejected;
        sent.rejected += posted.rejected;
        if (posted.reason && sent.reasons.length < 3) sent.reasons.push(posted.reason);
      }
    } finally {
      cancelled.dispose();
    }
    return sent;
  }

}

/** Said of an export that left out spans whose stored records are damaged. */
function damagedText(unreadable: number): string {
  return `${formatCountOf(unreadable, 'damaged span')} left out: ${unreadable === 1 ? 'its record does' : 'their records do'} not read back.`;
}

/** What an export of several traces gathered. */
interface Written {
  chunks: Buffer[];
  traces: number;
  spans: number;
  /** Traces deleted (or removed by retention) between the listing and their reading. */
  gone: number;
  unreadable: number;
  /** Traces left out at the end: the file had reached MAX_EXPORT_BYTES. */
  over: number;
}

/** Each trace's file, in order; undefined when cancelled. */
async function collectFiles(source: ViewTraceSource, traces: readonly TraceSummary[], progress: vscode.Progress<{ message?: string; increment?: number }>, cancel: vscode.CancellationToken): Promise<Written | undefined> {
  const written: Written = { chunks: [], traces: 0, spans: 0, gone: 0, unreadable: 0, over: 0 };
  let bytes = 0;
  for (const [i, summary] of traces.entries()) {
    if (cancel.isCancellationRequested) return undefined;
    progress.report({ message: `${i + 1} of ${traces.length}`, increment: 100 / traces.length });
    const file = await source.getTraceFile(summary.traceId);
    if (!file) {
      written.gone++;
      continue;
    }
    const chunk = Buffer.from(file.text, 'utf8');
    if (bytes + chunk.length > MAX_EXPORT_BYTES) {
      written.over = traces.length - i;
      break;
    }
    bytes += chunk.length;
    written.chunks.push(chunk);
    written.traces++;
    written.spans += file.spans;
    written.unreadable += file.unreadable;
  }
  return cancel.isCancellationRequested ? undefined : written;
}

/** What an import sent, as the receiver answered. */
interface Sent {
  requests: number;
  spans: number;
  logs: number;
  /** Items the receiver refused in requests it accepted, and its first few reasons. */
  rejected: number;
  reasons: string[];
}

/** An import's outcome in one sentence or a few: what came in, what stopped it, what was left out. */
function importedText(name: string, read: OtlpFile, sent: Sent, traces: number): string {
  const spans = `${formatCountOf(sent.spans, 'span')} in ${formatCountOf(traces, 'trace')}`;
  const logs = formatCountOf(sent.logs, 'log record');
  const what = sent.logs === 0 ? spans : sent.spans === 0 ? logs : `${spans} and ${logs}`;
  const stopped = sent.requests < read.requests.length ? ` Cancelled after ${sent.requests} of ${read.requests.length} requests.` : '';
  const skipped = read.skipped > 0 ? ` ${formatCountOf(read.skipped, read.unit)} of metrics skipped.` : '';
  const refused = sent.rejected > 0 ? ` The receiver refused ${formatCountOf(sent.rejected, 'item')}: ${sent.reasons.join(' ')}` : '';
  return `imported ${what} from ${name}.${stopped}${skipped}${refused}`;
}

function readFile(name: string, bytes: Uint8Array): OtlpFile {
  try {
    return readOtlpFile(bytes);
  } catch (err) {
    if (err instanceof OtlpFileError) throw new Error(`${name} is not ${err.message}`, { cause: err });
    throw err;
  }
}

/** `<root name>-<trace id start>.otlp.jsonl` in the first workspace folder (else where the dialog opens). */
function defaultExportUri(summary: TraceSummary): vscode.Uri | undefined {
  return inWorkspace(`${fileStem(summary.rootName) || 'trace'}-${summary.traceId.slice(0, 8)}.otlp.jsonl`);
}

/** `traces-<filters>.otlp.jsonl` (a conversation's id, say, or a service), else `traces.otlp.jsonl`. */
function defaultListExportUri(filters: TraceQuery): vscode.Uri | undefined {
  const stem = fileStem([filters.q, filters.service, filters.model, filters.status?.toLowerCase()].filter(Boolean).join('-'));
  return inWorkspace(stem ? `traces-${stem}.otlp.jsonl` : 'traces.otlp.jsonl');
}

/** Text made safe for a file name on any system: runs of other characters become one dash. */
function fileStem(text: string): string {
  return text.replace(/[^\w.-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60);
}

function inWorkspace(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder && vscode.Uri.joinPath(folder, name);
}
