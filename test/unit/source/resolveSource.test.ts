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
