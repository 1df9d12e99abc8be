// Span → the source line that made it. Pure: reads attributes and exception events, touches no file system;
// mapping paths into the workspace is a later step (paths stay exactly as received, except file:// URLs).
import type { RawSpan } from '../otlp/types';
import { isExceptionEvent, type Attributes, type JsonValue, type SourceLocation, type SpanEvent } from '../protocol/model';
import { parseStackFrames, type StackFrame } from './stackFrames';

/** Attributes are written by the app or its framework on purpose: exact. */
const ATTRIBUTE_CONFIDENCE = 1;
/** The first application frame is usually, not always, the caller the user cares about. */
const STACKTRACE_CONFIDENCE = 0.8;
/** A file attribute without a line: the right file, an unknown line. */
const FILE_ONLY_CONFIDENCE = 0.5;

export function resolveSource(span: RawSpan): SourceLocation | undefined {
  const fromAttributes = resolveSourceFromAttributes(span.attributes);
  if (fromAttributes && fromAttributes.confidence === ATTRIBUTE_CONFIDENCE) return fromAttributes;
  return resolveSourceFromStacktrace(span) ?? fromAttributes;
}

/** The attributes a span's source file is read from, current name first: the index needs them whole. */
export const SOURCE_PATH_ATTRIBUTES = ['code.file.path', 'code.filepath'] as const;

/**
 * Current semconv (`code.file.path`, `code.line.number`, `code.column.number`, `code.function.name`) first, then the
 * older names (`code.filepath`, `code.lineno`, `code.function` + `code.namespace`) that Logfire and older SDKs send.
 * A path without a line comes back at line 1 with a lower confidence, so a stack frame, when there is one, wins.
 */
export function resolveSourceFromAttributes(attributes: Attributes): SourceLocation | undefined {
  const path = text(attributes[SOURCE_PATH_ATTRIBUTES[0]]) ?? text(attributes[SOURCE_PATH_ATTRIBUTES[1]]);
  if (!path) return undefined;
  const line = positiveInt(attributes['code.line.number']) ?? positiveInt(attributes['code.lineno']);
  const column = positiveInt(attributes['code.column.number']);
  const location: SourceLocation = {
    path: fileUrlToPath(path),
    line: line ?? 1,
    origin: 'attribute',
    confidence: line === undefined ? FILE_ONLY_CONFIDENCE : ATTRIBUTE_CONFIDENCE,
  };
  if (column !== undefined) location.column = column;
  const fn = functionName(attributes);
  if (fn) location.function = fn;
  return location;
}

/**
 * The first application frame of `exception.stacktrace`, from an exception event (`exception`, where
 * `recordException` puts it, or GenAI's) or, failing that, a span attribute of the same name.
 */
export function resolveSourceFromStacktrace(span: RawSpan): SourceLocation | undefined {
  const traces = span.events.filter(isExceptionEvent).map((e) => text(e.attributes['exception.stacktrace']));
  traces.push(text(span.attributes['exception.stacktrace']));
  for (const trace of traces) {
    if (!trace) continue;
    const frame = parseStackFrames(trace).find(isApplicationFrame);
    if (frame) return toLocation(frame);
  }
  return undefined;
}

/**
 * Library, runtime and instrumentation frames, which the user cannot act on. Paths are matched with either slash so
 * Windows traces work too.
 */
const NON_APPLICATION_PATH = new RegExp(
  [
    String.raw`[\\/](site-packages|dist-packages|node_modules)[\\/]`,
    // Python's standard library: /usr/lib/python3.12/, Fedora's /usr/lib64/python3.12/, pyenv/uv/conda
    // …/lib/python3.12/, PyPy's lib/pypy3.10/ and lib-python/, Windows …\Python312\Lib\.
    String.raw`[\\/]lib(64)?[\\/](python|pypy)\d+(\.\d+)?t?[\\/]`,
    String.raw`[\\/]lib-python[\\/]`,
    String.raw`[\\/]python\d+[\\/]lib[\\/]`,
    String.raw`^<[^>]*>$`, // <frozen runpy>, <string>, <stdin>, <anonymous>
    String.raw`^(node|internal)[:/]`, // node:internal/…, node:events, internal/process/… (Node < 16)
    String.raw`^(native|wasm:|evalmachine|ext:)`, // ext: Deno's own modules
    // Deno's npm cache, and modules imported from the web (jsr.io, deno.land, esm.sh), which are not the
    // app's files; a dev server on this machine (Vite's http://localhost:5173/src/…) serves the app's own.
    String.raw`[\\/]deno[\\/](npm|remote)[\\/]`,
    String.raw`^https?://(?!(localhost|127\.0\.0\.1|\[::1\])[:/])`,
    // Instrumentation and OTel SDK sources, even when linked from a monorepo rather than installed: their
    // packages and modules, not any folder that bears the name (a clone of openinference with examples).
    String.raw`[\\/](@opentelemetry|@arizeai|@traceloop)[\\/]`,
    String.raw`[\\/](opentelemetry|openinference)[\\/](instrumentation|sdk|exporter|semconv|trace|context|util|_logs|metrics|propagate|propagators)[\\/]`,
    String.raw`[\\/](opentelemetry|openinference)-instrumentation[^\\/]*[\\/](src|build|dist|lib)[\\/]`,
  ].join('|'),
  'i',
);

/**
 * Windows Pythons whose home is not PythonNN keep the standard library in `Lib`, capitalized (matched
 * as written: a project's own `lib` folder is not one): conda's envs\<name>\Lib, pyenv-win's
 * versions\<v>\Lib, uv's cpython-3.12…\Lib, the Microsoft Store's PythonSoftwareFoundation.Python.3.12_…\Lib.
 */
const WINDOWS_PYTHON_LIB = /[\\/]([^\\/]*[Pp]ython[^\\/]*|envs[\\/][^\\/]+|versions[\\/][^\\/]+)[\\/]Lib[\\/]/;

/**
 * A Cython module's frame (pydantic v1, uvloop, aiohttp, asyncpg): a path relative to nothing, a `.pyx`
 * file or one named after its module (`pydantic/main.py` in `pydantic.main.BaseModel.__init__`). Mapped
 * into the workspace, it would open the app's own file of that name at the library's line.
 */
function isCompiledModuleFrame(frame: StackFrame): boolean {
  if (/^([\\/]|[a-zA-Z]:[\\/]|~|[a-z][a-z0-9+.-]*:)/.test(frame.path)) return false;
  if (/\.(pyx|pxi|pxd)$/.test(frame.path)) return true;
  const module = frame.path.replace(/\.py$/, '').replace(/[\\/]/g, '.');
  return frame.function !== undefined && module.includes('.') && frame.function.startsWith(`${module}.`);
}

/**
 * The location of one line of a span's exception stack trace (the detail's frame links): `eventIndex` in
 * the span's events, `lineIndex` in its `exception.stacktrace`. Read from the stored span, not from what
 * the webview sends: it names the line, and the host opens only what the trace says.
 */
export function stackFrameAt(span: { events: readonly SpanEvent[] }, eventIndex: number, lineIndex: number): SourceLocation | undefined {
  const event = span.events[eventIndex];
  if (!event || !isExceptionEvent(event)) return undefined;
  const line = text(event.attributes['exception.stacktrace'])?.split(/\r?\n/)[lineIndex];
  const [frame] = line === undefined ? [] : parseStackFrames(line);
  return frame && toLocation(frame);
}

/** For each exception event with a stack trace, the lines that are application frames (stackFrameAt opens them). */
export function linkedStackLines(span: { events: readonly SpanEvent[] }): { event: number; lines: number[] }[] {
  const links: { event: number; lines: number[] }[] = [];
  span.events.forEach((event, index) => {
    const trace = isExceptionEvent(event) ? text(event.attributes['exception.stacktrace']) : undefined;
    if (!trace) return;
    const lines: number[] = [];
    trace.split(/\r?\n/).forEach((line, at) => {
      const [frame] = parseStackFrames(line);
      if (frame && isApplicationFrame(frame)) lines.push(at);
    });
    if (lines.length > 0) links.push({ event: index, lines });
  });
  return links;
}

export function isApplicationFrame(frame: StackFrame): boolean {
  return !NON_APPLICATION_PATH.test(frame.path) && !WINDOWS_PYTHON_LIB.test(frame.path) && !isCompiledModuleFrame(frame);
}

function toLocation(frame: StackFrame): SourceLocation {
  // A dev server's URL may carry a cache-busting query (`App.tsx?t=1731000000000`): the file has none.
  const path = /^https?:\/\//i.test(frame.path) ? frame.path.replace(/[?#].*$/, '') : fileUrlToPath(frame.path);
  const location: SourceLocation = { path, line: frame.line, origin: 'stacktrace', confidence: STACKTRACE_CONFIDENCE };
  if (frame.column !== undefined) location.column = frame.column;
  if (frame.function) location.function = frame.function;
  return location;
}

function functionName(attributes: Attributes): string | undefined {
  const current = text(attributes['code.function.name']);
  if (current) return current; // already fully qualified by spec
  const fn = text(attributes['code.function']);
  const namespace = text(attributes['code.namespace']);
  // The older pair splits the qualified name in two (`com.example.Service` + `serve`).
  if (fn && namespace && !fn.startsWith(`${namespace}.`)) return `${namespace}.${fn}`;
  return fn;
}

/** `file:///home/me/x.ts` → `/home/me/x.ts`, `file:///C:/x.ts` → `C:/x.ts`; anything else unchanged. */
export function fileUrlToPath(path: string): string {
  if (!path.toLowerCase().startsWith('file://')) return path;
  try {
    const url = new URL(path);
    const decoded = decodeURIComponent(url.pathname);
    const windows = /^\/[a-zA-Z]:\//.test(decoded);
    const local = windows ? decoded.slice(1) : decoded;
    // file://server/share/x → UNC; keeps the host that the URL form carries.
    return url.host ? `//${url.host}${local}` : local;
  } catch {
    return path;
  }
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function positiveInt(value: JsonValue | undefined): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}
