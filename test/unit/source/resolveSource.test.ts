import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RawSpan } from '../../../src/otlp/types';
import type { Attributes, SpanEvent } from '../../../src/protocol/model';
import { fileUrlToPath, linkedStackLines, resolveSource, stackFrameAt } from '../../../src/source/resolveSource';
import { parseStackFrames } from '../../../src/source/stackFrames';

function span(attributes: Attributes = {}, events: SpanEvent[] = []): RawSpan {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    name: 'chat gpt-4o-mini',
    kind: 'CLIENT',
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000001000000000',
    durationMs: 1000,
    status: { code: 'ERROR' },
    attributes,
    events,
    links: [],
    resource: { 'service.name': 'app' },
    scope: { name: 'test' },
  };
}

function exceptionEvent(stacktrace: string): SpanEvent {
  return { name: 'exception', timeUnixNano: '1700000000500000000', attributes: { 'exception.type': 'Error', 'exception.message': 'boom', 'exception.stacktrace': stacktrace } };
}

const PYTHON_TRACEBACK = `Traceback (most recent call last):
  File "/usr/lib/python3.12/runpy.py", line 198, in _run_module_as_main
    return _run_code(code, main_globals, None,
  File "/home/dev/app/main.py", line 12, in <module>
    asyncio.run(main())
  File "/usr/lib/python3.12/asyncio/base_events.py", line 687, in run_until_complete
    return future.result()
  File "/home/dev/app/agent.py", line 57, in call_llm
    response = client.chat.completions.create(model=model, messages=messages)
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/home/dev/app/.venv/lib/python3.12/site-packages/opentelemetry/instrumentation/openai_v2/patch.py", line 66, in traced_method
    result = wrapped(*args, **kwargs)
  File "/home/dev/app/.venv/lib/python3.12/site-packages/openai/_base_client.py", line 1047, in request
    raise self._make_status_error_from_response(err.response) from None
  File "<frozen importlib._bootstrap>", line 1360, in _find_and_load
openai.InternalServerError: Error code: 500 - {'error': {'message': 'boom'}}`;

const NODE_STACK = `InternalServerError: 500 The server had an error while processing your request.
    at APIError.generate (/home/dev/app/node_modules/openai/core/error.js:76:20)
    at OpenAI.makeStatusError (/home/dev/app/node_modules/openai/client.js:159:32)
    at OpenAI.makeRequest (/home/dev/app/node_modules/openai/client.js:327:30)
    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)
    at async Object.patchedCreate [as create] (/home/dev/monorepo/packages/@opentelemetry/instrumentation-openai/build/src/instrumentation.js:120:9)
    at async askForecast (file:///home/dev/app/src/agent.mjs:42:18)
    at async main (/home/dev/app/src/index.ts:9:3)`;

/** NODE_STACK's first application frame. */
const NODE_STACK_FRAME = { path: '/home/dev/app/src/agent.mjs', line: 42, column: 18, function: 'askForecast', origin: 'stacktrace', confidence: 0.8 };

describe('source from attributes', () => {
  test('current semconv names give an exact location with column and function', () => {
    const source = resolveSource(
      span({ 'code.file.path': '/home/dev/app/agent.py', 'code.line.number': 57, 'code.column.number': 16, 'code.function.name': 'app.agent.call_llm' }),
    );
    assert.deepEqual(source, { path: '/home/dev/app/agent.py', line: 57, column: 16, function: 'app.agent.call_llm', origin: 'attribute', confidence: 1 });
  });

  test('older Logfire-style names give an exact location', () => {
    const source = resolveSource(span({ 'code.filepath': 'agent.py', 'code.lineno': 57, 'code.function': 'call_llm' }));
    assert.deepEqual(source, { path: 'agent.py', line: 57, function: 'call_llm', origin: 'attribute', confidence: 1 });
  });

  test('older code.namespace joins code.function into a qualified name', () => {
    const source = resolveSource(span({ 'code.filepath': 'Svc.java', 'code.lineno': 3, 'code.namespace': 'com.example.Svc', 'code.function': 'serve' }));
    assert.equal(source?.function, 'com.example.Svc.serve');
  });

  test('current names win when both forms are present', () => {
    const source = resolveSource(span({ 'code.file.path': 'new.py', 'code.line.number': 2, 'code.filepath': 'old.py', 'code.lineno': 1 }));
    assert.equal(source?.path, 'new.py');
    assert.equal(source?.line, 2);
  });

  test('a line number sent as a string still counts', () => {
    assert.equal(resolveSource(span({ 'code.filepath': 'a.py', 'code.lineno': '12' }))?.line, 12);
  });

  test('a file without a line points at its top with lower confidence', () => {
    assert.deepEqual(resolveSource(span({ 'code.filepath': 'a.py' })), { path: 'a.py', line: 1, origin: 'attribute', confidence: 0.5 });
  });

  test('a file without a line gives way to a stack frame', () => {
    const source = resolveSource(span({ 'code.filepath': 'a.py' }, [exceptionEvent(PYTHON_TRACEBACK)]));
    assert.equal(source?.origin, 'stacktrace');
  });

  test('attributes win over a stack trace', () => {
    const source = resolveSource(span({ 'code.filepath': 'a.py', 'code.lineno': 5 }, [exceptionEvent(NODE_STACK)]));
    assert.equal(source?.origin, 'attribute');
  });
});

describe('source from exception stack traces', () => {
  test('Python: the innermost application frame, skipping site-packages, the standard library and frozen modules', () => {
    assert.deepEqual(resolveSource(span({}, [exceptionEvent(PYTHON_TRACEBACK)])), {
      path: '/home/dev/app/agent.py',
      line: 57,
      function: 'call_llm',
      origin: 'stacktrace',
      confidence: 0.8,
    });
  });

  test("GenAI's exception event (gen_ai.client.operation.exception) is read like OTel's exception event", () => {
    const genai: SpanEvent = { ...exceptionEvent(PYTHON_TRACEBACK), name: 'gen_ai.client.operation.exception' };
    assert.deepEqual(resolveSource(span({}, [genai]))?.path, '/home/dev/app/agent.py');
    assert.equal(resolveSource(span({}, [{ ...genai, name: 'gen_ai.choice' }])), undefined, 'another event with the same attributes is no exception');
  });

  test('Python: with chained exceptions the final exception decides', () => {
    const chained = `Traceback (most recent call last):
  File "/app/first.py", line 3, in load
    open("x")
FileNotFoundError: x

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/app/second.py", line 8, in handler
    load()
  File "/app/first.py", line 5, in load
    raise RuntimeError("wrapped")
RuntimeError: wrapped`;
    assert.equal(resolveSource(span({}, [exceptionEvent(chained)]))?.line, 5);
  });

  test('Python: Windows standard library paths are skipped', () => {
    const trace = `Traceback (most recent call last):
  File "C:\\Users\\dev\\app\\run.py", line 4, in <module>
    go()
  File "C:\\Users\\dev\\AppData\\Local\\Programs\\Python\\Python312\\Lib\\asyncio\\runners.py", line 194, in run
    return runner.run(main)`;
    assert.deepEqual(resolveSource(span({}, [exceptionEvent(trace)])), { path: 'C:\\Users\\dev\\app\\run.py', line: 4, origin: 'stacktrace', confidence: 0.8 });
  });

  test('JavaScript: the first application frame, skipping node_modules, node internals and instrumentation; file:// becomes a path', () => {
    assert.deepEqual(resolveSource(span({}, [exceptionEvent(NODE_STACK)])), NODE_STACK_FRAME);
  });

  test('JavaScript: anonymous frames without a function name', () => {
    const stack = `Error: boom\n    at /home/dev/app/x.js:1:2\n    at Object.<anonymous> (/home/dev/app/y.js:3:4)`;
    assert.deepEqual(resolveSource(span({}, [exceptionEvent(stack)])), { path: '/home/dev/app/x.js', line: 1, column: 2, origin: 'stacktrace', confidence: 0.8 });
  });

  test('JavaScript: Windows paths and constructor frames', () => {
    const stack = `Error: boom\n    at new Agent (C:\\dev\\app\\agent.js:10:5)`;
    assert.deepEqual(resolveSource(span({}, [exceptionEvent(stack)])), { path: 'C:\\dev\\app\\agent.js', line: 10, column: 5, function: 'Agent', origin: 'stacktrace', confidence: 0.8 });
  });

  test('a stack trace recorded as a span attribute is used too', () => {
    assert.equal(resolveSource(span({ 'exception.stacktrace': NODE_STACK }))?.path, '/home/dev/app/src/agent.mjs');
  });

  test('a stack with only library frames gives no source', () => {
    const stack = `Error: boom\n    at x (/app/node_modules/openai/client.js:1:1)\n    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)`;
    assert.equal(resolveSource(span({}, [exceptionEvent(stack)])), undefined);
  });

  // Both captured in test/fixtures/otlp/error-http-protobuf-traces-1.bin (scripts/fixtures/scenarios/error.ts).
  test('JavaScript: an openai SDK error as thrown has no application frame, so no source', () => {
    const stack = `Error: 500 The server had an error while processing your request. Sorry about that! (fake)
    at Function.generate (/work/main/node_modules/openai/src/core/error.ts:101:14)
    at OpenAI.makeStatusError (/work/main/node_modules/openai/src/client.ts:636:28)
    at OpenAI.makeRequest (/work/main/node_modules/openai/src/client.ts:932:24)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`;
    assert.equal(resolveSource(span({}, [exceptionEvent(stack)])), undefined);
  });

  test('JavaScript: the app error wrapping it points at the app line, arrow functions unnamed', () => {
    const stack = `Error: could not summarize the ticket: 500 The server had an error while processing your request.
    at <anonymous> (/work/main/scripts/fixtures/scenarios/error.ts:49:13)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
    at async <anonymous> (/work/main/scripts/fixtures/scenarios/error.ts:60:7)`;
    assert.deepEqual(resolveSource(span({}, [exceptionEvent(stack)])), {
      path: '/work/main/scripts/fixtures/scenarios/error.ts',
      line: 49,
      column: 13,
      origin: 'stacktrace',
      confidence: 0.8,
    });
  });

  test('eval frames and frames without a location are ignored', () => {
    assert.deepEqual(parseStackFrames('Error\n    at eval (eval at run (/a.js:1:2), <anonymous>:1:1)\n    at async Promise.all (index 0)'), []);
  });
});

describe('source from stack traces as runtimes really write them (audit of the twenty-first pass)', () => {
  const from = (trace: string) => resolveSource(span({}, [exceptionEvent(trace)]));

  test("Python: an ExceptionGroup's boxed tracebacks (asyncio.TaskGroup, anyio): its last exception's innermost application frame, every File line linked", () => {
    const trace = `  + Exception Group Traceback (most recent call last):
  |   File "/app/agent.py", line 29, in group
  |     async with asyncio.TaskGroup() as tg:
  |   File "/usr/lib/python3.12/asyncio/taskgroups.py", line 145, in __aexit__
  | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
  +-+---------------- 1 ----------------
    | Traceback (most recent call last):
    |   File "/app/agent.py", line 25, in worker
    |     fakelib.fail()
    |   File "/app/.venv/lib/python3.12/site-packages/fakelib/__init__.py", line 4, in fail
    | ConnectionError: upstream down
    +------------------------------------`;
    assert.deepEqual(from(trace), { path: '/app/agent.py', line: 25, function: 'worker', origin: 'stacktrace', confidence: 0.8 });
    assert.deepEqual(linkedStackLines({ events: [exceptionEvent(trace)] }), [{ event: 0, lines: [1, 7] }]);
  });

  test("Python: the standard library of conda, uv, pyenv-win, the Microsoft Store, Fedora and PyPy is skipped; a project's own lib folder is not", () => {
    for (const library of [
      'C:\\Users\\me\\miniconda3\\envs\\agent\\Lib\\json\\decoder.py',
      'C:\\Users\\me\\AppData\\Roaming\\uv\\python\\cpython-3.12.8-windows-x86_64-none\\Lib\\json\\decoder.py',
      'C:\\Users\\me\\.pyenv\\pyenv-win\\versions\\3.12.1\\Lib\\json\\decoder.py',
      'C:\\Program Files\\WindowsApps\\PythonSoftwareFoundation.Python.3.12_3.12.2032.0_x64__qbz5n2kfra8p0\\Lib\\json\\decoder.py',
      '/usr/lib64/python3.12/json/decoder.py',
      '/opt/pypy3.10-v7.3.17-linux64/lib/pypy3.10/json/decoder.py',
      '/opt/pypy/lib-python/3/json/decoder.py',
    ]) {
      const trace = `Traceback (most recent call last):\n  File "/home/me/proj/agent.py", line 30, in parse\n  File "${library}", line 355, in raw_decode\njson.decoder.JSONDecodeError: Expecting value`;
      assert.equal(from(trace)?.path, '/home/me/proj/agent.py', library);
    }
    const own = `Traceback (most recent call last):\n  File "/home/me/python-tools/lib/handlers.py", line 7, in handle\nValueError: x`;
    assert.equal(from(own)?.path, '/home/me/python-tools/lib/handlers.py');
  });

  test("Python: Cython modules' relative frames (pydantic v1, uvloop) are library frames, not the app's file of the same name", () => {
    const pydantic = `Traceback (most recent call last):
  File "/home/me/proj/app/chain.py", line 41, in build
  File "/home/me/proj/.venv/lib/python3.11/site-packages/langchain/load/serializable.py", line 74, in __init__
  File "pydantic/main.py", line 341, in pydantic.main.BaseModel.__init__
pydantic.error_wrappers.ValidationError: 1 validation error for ChatOpenAI`;
    assert.deepEqual(from(pydantic), { path: '/home/me/proj/app/chain.py', line: 41, function: 'build', origin: 'stacktrace', confidence: 0.8 });
    const uvloop = `Traceback (most recent call last):\n  File "/srv/app/client.py", line 9, in connect\n  File "uvloop/loop.pyx", line 1999, in create_connection\nOSError: refused`;
    assert.equal(from(uvloop)?.path, '/srv/app/client.py');
    // A relative path of the app's own (Python before 3.9 printed the main script so) is still its.
    assert.equal(from(`Traceback (most recent call last):\n  File "app.py", line 3, in main\nValueError: x`)?.path, 'app.py');
  });

  test("Python: a traceback quoted in the exception's message is not the report's (a tool re-raising a sandbox's stderr)", () => {
    const trace = `Traceback (most recent call last):
  File "/home/me/proj/agent/tools.py", line 48, in run_python
agent.tools.ToolError: code failed:
Traceback (most recent call last):
  File "/tmp/sandbox/snippet_3.py", line 2, in <module>
AttributeError: 'DataFrame' object has no attribute 'colum'`;
    assert.deepEqual(from(trace), { path: '/home/me/proj/agent/tools.py', line: 48, function: 'run_python', origin: 'stacktrace', confidence: 0.8 });
  });

  test("Deno's own modules, its npm cache and modules imported from the web are skipped; a local dev server's URL loses its query", () => {
    const app = '    at async callModel (file:///home/me/proj/agent.ts:14:15)';
    for (const library of [
      '    at async mainFetch (ext:deno_fetch/26_fetch.js:182:11)',
      '    at APIError.generate (file:///home/me/.cache/deno/npm/registry.npmjs.org/openai/4.77.0/error.mjs:41:20)',
      '    at parse (https://jsr.io/@std/yaml/1.0.5/parse.ts:10:11)',
    ]) {
      assert.deepEqual(from(`Error: boom\n${library}\n${app}`), { path: '/home/me/proj/agent.ts', line: 14, column: 15, function: 'callModel', origin: 'stacktrace', confidence: 0.8 }, library);
    }
    assert.equal(from('Error: boom\n    at App (http://localhost:5173/src/App.tsx?t=1731000000000:12:11)')?.path, 'http://localhost:5173/src/App.tsx');
  });

  test('JVM traces give no source (their file names are no paths)', () => {
    const trace = `java.net.ConnectException: Connection refused
\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)
\tat java.base/sun.nio.ch.Net.pollConnectNow(Net.java:682)
\tat com.example.agent.LlmClient.call(LlmClient.java:57)`;
    assert.equal(from(trace), undefined);
    assert.deepEqual(parseStackFrames(trace), []);
  });

  test("a clone of an instrumentation's repository with the user's examples is application code; the instrumentation's own modules are not", () => {
    assert.equal(from(`Traceback (most recent call last):\n  File "/home/me/openinference/python/examples/agent.py", line 12, in <module>\nValueError: x`)?.line, 12);
    const linked = `Traceback (most recent call last):
  File "/home/me/app/agent.py", line 5, in run
  File "/home/me/openinference/python/instrumentation/openinference-instrumentation-openai/src/openinference/instrumentation/openai/_request.py", line 300, in __call__
ValueError: x`;
    assert.equal(from(linked)?.path, '/home/me/app/agent.py');
  });
});

describe('no source', () => {
  test('a span with neither code attributes nor an exception has no source', () => {
    assert.equal(resolveSource(span({ 'gen_ai.request.model': 'gpt-4o' })), undefined);
  });

  test('an exception event without a stack trace has no source', () => {
    const event: SpanEvent = { name: 'exception', timeUnixNano: '1', attributes: { 'exception.message': 'boom' } };
    assert.equal(resolveSource(span({}, [event])), undefined);
  });

  test('a non-numeric line number does not make a location up', () => {
    assert.equal(resolveSource(span({ 'code.filepath': 'a.py', 'code.lineno': 'abc' }))?.confidence, 0.5);
  });
});

describe('file URLs', () => {
  const cases: Array<[string, string]> = [
    ['file:///home/dev/app/x.mjs', '/home/dev/app/x.mjs'],
    ['file:///C:/dev/app/x.mjs', 'C:/dev/app/x.mjs'],
    ['file:///home/dev/my%20app/x.mjs', '/home/dev/my app/x.mjs'],
    ['/home/dev/app/x.mjs', '/home/dev/app/x.mjs'],
    ['src/x.ts', 'src/x.ts'],
  ];
  for (const [input, expected] of cases) test(`${input} → ${expected}`, () => assert.equal(fileUrlToPath(input), expected));
});

describe("the detail's stack trace links", () => {
  test('each application frame of an exception event is a linked line, and the line opens where the trace says', () => {
    const events = [spanEventOf('gen_ai.choice'), exceptionEvent(PYTHON_TRACEBACK), { ...exceptionEvent(NODE_STACK), name: 'gen_ai.client.operation.exception' }];
    const links = linkedStackLines({ events });
    const pythonLines = PYTHON_TRACEBACK.split('\n');
    const nodeLines = NODE_STACK.split('\n');
    assert.deepEqual(
      links.map((l) => ({ event: l.event, lines: l.lines.map((i) => (l.event === 1 ? pythonLines[i] : nodeLines[i]).trim()) })),
      [
        { event: 1, lines: ['File "/home/dev/app/main.py", line 12, in <module>', 'File "/home/dev/app/agent.py", line 57, in call_llm'] },
        { event: 2, lines: ['at async askForecast (file:///home/dev/app/src/agent.mjs:42:18)', 'at async main (/home/dev/app/src/index.ts:9:3)'] },
      ],
    );
    assert.deepEqual(stackFrameAt({ events }, 1, links[0].lines[1]), { path: '/home/dev/app/agent.py', line: 57, function: 'call_llm', origin: 'stacktrace', confidence: 0.8 });
    assert.deepEqual(stackFrameAt({ events }, 2, links[1].lines[0]), NODE_STACK_FRAME);
    // Anything else opens nothing: another event, a line that is no frame, a line past the end.
    assert.equal(stackFrameAt({ events }, 0, 0), undefined);
    assert.equal(stackFrameAt({ events }, 1, 0), undefined);
    assert.equal(stackFrameAt({ events }, 1, 999), undefined);
  });
});

function spanEventOf(name: string): SpanEvent {
  return { name, timeUnixNano: '1700000000500000000', attributes: { 'exception.stacktrace': PYTHON_TRACEBACK } };
}
