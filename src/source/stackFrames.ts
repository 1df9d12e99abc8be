// Stack trace text → frames, innermost first, for the stack formats instrumented apps send in
// `exception.stacktrace`: Python tracebacks (chained, and ExceptionGroups' boxes) and V8 (Node.js,
// Deno, Bun, Chrome) stacks. Other runtimes' traces (JVM, Go, .NET, Ruby) give no frames.

export interface StackFrame {
  /** As written in the trace (may be a file:// URL; resolveSource converts it). */
  path: string;
  line: number;
  column?: number;
  function?: string;
}

/**
 * `  File "/app/agent.py", line 57, in call_llm`; inside an ExceptionGroup's box the line starts with
 * its border (`  |   File …`).
 */
const PYTHON_FRAME = /^[\s|+-]*File "(.+)", line (\d+)(?:, in (.+?))?\s*$/;
/** The head of a Python traceback, of an ExceptionGroup's too (`  + Exception Group Traceback …`). */
const PYTHON_TRACEBACK = /^[\s|+-]*(?:Exception Group )?Traceback \(most recent call last\):\s*$/;
/**
 * What starts the next traceback of the same report: an exception chain's sentence, or an
 * ExceptionGroup's separator before each of its exceptions (`+-+---- 1 ----`, `+---- 2 ----`).
 */
const PYTHON_NEXT_TRACEBACK =
  /^[\s|+-]*(?:During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)\s*$|^[\s|]*\+(?:-\+)?-{4,}/;
/** `    at async fn (file:///app/x.mjs:3:4)`, `    at /app/x.js:1:2` */
const V8_FRAME = /^\s*at (?:async )?(.+?)\s*$/;
/** `path:line[:column]` at the end of a V8 location. */
const V8_LOCATION = /^(.*?):(\d+)(?::(\d+))?$/;

/**
 * Frames innermost first. Python prints the innermost frame last, so its frames are reversed; with chained
 * exceptions ("During handling of the above exception…") the final exception's frames come first, and
 * with an ExceptionGroup its last exception's.
 */
export function parseStackFrames(trace: string): StackFrame[] {
  const lines = trace.split(/\r?\n/);
  const python = pythonFrames(lines);
  if (python.length > 0) return python.reverse();

  const frames: StackFrame[] = [];
  for (const line of lines) {
    const frame = parseV8Frame(line);
    if (frame) frames.push(frame);
  }
  return frames;
}

/**
 * The frames of a Python report, outermost first. A traceback that starts where no chain sentence or
 * group separator announced one is quoted in the exception's message (a tool that re-raises a
 * sandbox's stderr): its frames are not the report's, and are left out.
 */
function pythonFrames(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  let state: 'expecting' | 'reading' | 'quoted' = 'expecting';
  for (const line of lines) {
    if (PYTHON_NEXT_TRACEBACK.test(line)) state = 'expecting';
    else if (PYTHON_TRACEBACK.test(line)) state = state === 'expecting' ? 'reading' : 'quoted';
    else if (state !== 'quoted') {
      const m = PYTHON_FRAME.exec(line);
      if (m) frames.push(withFunction({ path: m[1], line: Number(m[2]) }, m[3]));
    }
  }
  return frames;
}

function parseV8Frame(line: string): StackFrame | undefined {
  const body = V8_FRAME.exec(line)?.[1];
  if (!body) return undefined;
  // `fn (location)` or a bare `location`; the function part can itself contain spaces (`new Foo`, `[as bar]`).
  const open = body.endsWith(')') ? matchingOpenParen(body) : -1;
  // V8 always writes a space before the location's parenthesis; the JVM's `at pkg.Cls.m(File.java:57)`
  // has none, and its file names are no paths.
  if (open > 0 && !/\s/.test(body[open - 1])) return undefined;
  const fn = open > 0 ? body.slice(0, open).trimEnd() : undefined;
  const location = open >= 0 ? body.slice(open + 1, -1) : body;
  // eval'd code points at its evaluator, not a file of its own.
  if (location.startsWith('eval at ')) return undefined;
  const m = V8_LOCATION.exec(location);
  if (!m || !m[1]) return undefined;
  const frame: StackFrame = { path: m[1], line: Number(m[2]) };
  if (m[3] !== undefined) frame.column = Number(m[3]);
  return withFunction(frame, fn);
}

/** Index of the `(` that the final `)` closes: eval locations nest parentheses (`eval at f (/a.js:1:2), <anonymous>:1:1`). */
function matchingOpenParen(body: string): number {
  let depth = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    if (body[i] === ')') depth++;
    else if (body[i] === '(' && --depth === 0) return i;
  }
  return -1;
}

function withFunction(frame: StackFrame, name: string | undefined): StackFrame {
  const cleaned = name
    ?.replace(/\s*\[as [^\]]+\]$/, '')
    .replace(/^new /, '')
    .trim();
  // Module-level code: there is no function to show.
  if (cleaned && cleaned !== '<module>' && cleaned !== '<anonymous>' && cleaned !== 'Object.<anonymous>') frame.function = cleaned;
  return frame;
}
