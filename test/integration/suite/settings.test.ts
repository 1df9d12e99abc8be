// Settings changed through the configuration API apply live, as when a user edits settings.json.
import assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import {
  activateSpanlight, eventually, freePort, getJson, health, isListening, newTraceId, otlpRequest, postTraces, receiverUrl, setting, untilListening, updateSetting,
} from '../support';

suite('Settings', () => {
  let profilePort: number;

  suiteSetup(async () => {
    await activateSpanlight();
    profilePort = setting<number>('receiver.httpPort');
  });

  // Later suites expect the profile's port and the default retention.
  teardown(async () => {
    await updateSetting('retention.maxSpans', undefined);
    await updateSetting('pricing.overrides', undefined);
    if (setting<number>('receiver.httpPort') !== profilePort) {
      await updateSetting('receiver.httpPort', profilePort);
      await untilListening(profilePort, `the receiver back on ${profilePort}`);
    }
  });

  test('changing spanlight.receiver.httpPort restarts the receiver on the new port', async () => {
    const newPort = await freePort();
    await updateSetting('receiver.httpPort', newPort);
    await eventually(async () => ((await health(newPort)).ok ? true : undefined), `/api/health on the new port ${newPort}`);
    await eventually(async () => ((await isListening(profilePort)) ? undefined : true), `the old port ${profilePort} to be released`);
    await vscode.commands.executeCommand('spanlight.copyEndpoint');
    assert.equal(await vscode.env.clipboard.readText(), receiverUrl(newPort));
  });

  test('lowering spanlight.retention.maxSpans evicts the traces received longest ago at once', async () => {
    await vscode.commands.executeCommand('spanlight.clearTraces', { confirm: false });
    // 150 one-span traces in one export, one second apart: received in that order, so evicted first to last.
    const start = Date.now() - 3_600_000;
    const traces = Array.from({ length: 150 }, (_, i) => ({ traceId: newTraceId(), name: `retention ${i}`, startMs: start + i * 1000 }));
    await postTraces(profilePort, otlpRequest(traces));
    await eventually(async () => ((await health(profilePort)).spans === 150 ? true : undefined), '150 stored spans');

    await updateSetting('retention.maxSpans', 100);
    await eventually(async () => ((await health(profilePort)).spans === 100 ? true : undefined), 'the store to shrink to 100 spans');
    const url = (i: number): string => `${receiverUrl(profilePort)}/api/traces/${traces[i].traceId}`;
    assert.equal((await getJson(url(0))).status, 404, 'the first trace received survived');
    assert.equal((await getJson(url(149))).status, 200, 'the last trace received was evicted');
  });

  test('a price override prices the stored calls of its model in the trace list and the span, and removing it removes the price', async () => {
    const traceId = newTraceId();
    const attributes = [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'acme-integration-llm' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: 1000 } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: 500 } },
    ];
    await postTraces(profilePort, otlpRequest([{ traceId, name: 'chat acme-integration-llm', startMs: Date.now(), attributes }]));
    type Detail = { summary: { costUsd?: number }; spans: { llm?: { costUsd?: number } }[] };
    const costs = async (): Promise<[number | undefined, number | undefined] | undefined> => {
      const { status, body } = await getJson<Detail>(`${receiverUrl(profilePort)}/api/traces/${traceId}`);
      return status === 200 ? [body.summary.costUsd, body.spans[0]?.llm?.costUsd] : undefined;
    };
    assert.deepEqual(await eventually(costs, 'the trace stored'), [undefined, undefined], 'an unknown model has no cost');

    // 1000 input tokens at $2/M and 500 output tokens at $10/M.
    await updateSetting('pricing.overrides', { 'acme-integration-llm': { input: 2, output: 10 } });
    await eventually(async () => ((await costs())?.join() === '0.007,0.007' ? true : undefined), 'the list and the span to show the override price');
    await updateSetting('pricing.overrides', undefined);
    await eventually(async () => ((await costs())?.join() === ',' ? true : undefined), 'the price to go with the override');
  });

  test('malformed price overrides are left out, never stop traces from being stored; the well-formed ones still apply', async () => {
    const call = (model: string) => ({
      traceId: newTraceId(),
      name: `chat ${model}`,
      startMs: Date.now(),
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.request.model', value: { stringValue: model } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: 1000 } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: 500 } },
      ],
    });
    const cost = async (traceId: string): Promise<number | null | undefined> => {
      const { status, body } = await getJson<{ summary: { costUsd?: number } }>(`${receiverUrl(profilePort)}/api/traces/${traceId}`);
      return status === 200 ? (body.summary.costUsd ?? null) : undefined;
    };
    await updateSetting('pricing.overrides', 'not an object');
    const first = call('acme-typo-llm');
    await postTraces(profilePort, otlpRequest([first]));
    assert.equal(await eventually(() => cost(first.traceId), 'the trace stored'), null);

    await updateSetting('pricing.overrides', { 'acme-typo-llm': { input: 2, output: 10 }, 'acme-other-llm': { input: 'cheap', output: 1 } });
    const second = call('acme-typo-llm');
    await postTraces(profilePort, otlpRequest([second]));
    assert.equal(await eventually(() => cost(second.traceId), 'the trace stored'), 0.007);
  });

  test('a retention limit outside the schema (0 typed by mistake) is ignored: the store keeps its traces', async () => {
    await postTraces(profilePort, otlpRequest([{ traceId: newTraceId(), name: 'kept', startMs: Date.now() }]));
    const before = await eventually(async () => ((await health(profilePort)).spans > 0 ? (await health(profilePort)).spans : undefined), 'a stored span');
    await updateSetting('retention.maxSpans', 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await health(profilePort)).spans, before);
  });
});
