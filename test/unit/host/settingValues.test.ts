// Settings come from settings.json, which takes any JSON: a value that does not fit the schema in
// package.json is replaced by its default and reported, never passed on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NUMBER_SETTINGS, settingsFrom } from '../../../src/settingValues';

const MiB = 1024 * 1024;
const contributed = (JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown; minimum?: number; maximum?: number; type?: string }> } };
}).contributes.configuration.properties;

test('the numeric rules are the schema package.json contributes: defaults, bounds and integer types', () => {
  for (const [key, rule] of Object.entries(NUMBER_SETTINGS)) {
    const schema = contributed[`spanlight.${key}`];
    assert.ok(schema, key);
    assert.deepEqual(
      [rule.default, rule.minimum, rule.maximum, rule.integer],
      [schema.default, schema.minimum, schema.maximum ?? Infinity, schema.type === 'integer'],
      key,
    );
  }
});

test('unset settings take their defaults, and well-formed ones are used as they are', () => {
  const defaults = settingsFrom(() => undefined);
  assert.deepEqual(defaults, {
    receiverEnabled: true, host: '127.0.0.1', httpPort: 4318, grpcPort: 4317, maxBodyBytes: 16 * MiB, corsOrigins: [],
    maxSpans: 100_000, maxBytes: 512 * MiB, priceOverrides: {}, forwardEndpoint: '', problems: [],
  });
  const values: Record<string, unknown> = {
    'receiver.enabled': false, 'receiver.host': ' 0.0.0.0 ', 'receiver.httpPort': 14318, 'receiver.grpcPort': 0, 'receiver.maxBodyMB': 1.5,
    'receiver.corsOrigins': ['http://localhost:3000'], 'retention.maxSpans': 500, 'retention.maxMB': 8, 'pricing.overrides': { m: { input: 1, output: 2 } },
    'forward.endpoint': ' http://localhost:4328 ',
  };
  const read = settingsFrom((key) => values[key]);
  assert.deepEqual(read, {
    receiverEnabled: false, host: '0.0.0.0', httpPort: 14318, grpcPort: 0, maxBodyBytes: Math.round(1.5 * MiB), corsOrigins: ['http://localhost:3000'],
    maxSpans: 500, maxBytes: 8 * MiB, priceOverrides: { m: { input: 1, output: 2 } }, forwardEndpoint: 'http://localhost:4328', problems: [],
  });
});

test('values that do not fit the schema are replaced by the default and named; a zero retention limit does not empty the store', () => {
  const values: Record<string, unknown> = {
    'receiver.enabled': 'false', 'receiver.host': 42, 'receiver.httpPort': '4318', 'receiver.grpcPort': 70000, 'receiver.maxBodyMB': 0,
    'receiver.corsOrigins': ['http://localhost:3000', 7], 'retention.maxSpans': 0, 'retention.maxMB': -1, 'pricing.overrides': { m: 'cheap', n: { input: 1, output: 1 } },
    'forward.endpoint': { url: 'http://localhost:4328' },
  };
  const read = settingsFrom((key) => values[key]);
  assert.deepEqual(
    { ...read, problems: [] },
    {
      receiverEnabled: true, host: '127.0.0.1', httpPort: 4318, grpcPort: 4317, maxBodyBytes: 16 * MiB, corsOrigins: ['http://localhost:3000'],
      maxSpans: 100_000, maxBytes: 512 * MiB, priceOverrides: { n: { input: 1, output: 1 } }, forwardEndpoint: '', problems: [],
    },
  );
  const named = read.problems.map((p) => /^spanlight\.[\w.]+/.exec(p)?.[0]);
  assert.deepEqual(named.sort(), Object.keys(values).map((k) => `spanlight.${k}`).sort());
  assert.ok(read.problems.includes('spanlight.retention.maxSpans must be an integer at least 100: 0 is ignored, 100000 is used'), read.problems.join('\n'));
});

test('a setting of the wrong kind altogether is reported once, not thrown', () => {
  const read = settingsFrom((key) => (key === 'pricing.overrides' ? 'not an object' : key === 'receiver.corsOrigins' ? 'http://x' : undefined));
  assert.deepEqual([read.priceOverrides, read.corsOrigins], [{}, []]);
  assert.equal(read.problems.length, 2);
});

test('a numeric value that does not fit keeps the value used before it (a port half-typed does not move the receiver to 4318)', () => {
  const before: Record<string, number> = { 'receiver.httpPort': 24405, 'retention.maxSpans': 5000 };
  const read = settingsFrom((key) => ({ 'receiver.httpPort': 70000, 'retention.maxSpans': 0 })[key], (key) => before[key]);
  assert.equal(read.httpPort, 24405);
  assert.equal(read.maxSpans, 5000);
  assert.ok(read.problems.includes('spanlight.receiver.httpPort must be an integer from 0 to 65535: 70000 is ignored, 24405 is used'), read.problems.join('\n'));
});

test('gRPC on the HTTP port is turned off with a problem naming both settings, not reported as a port held by another program', () => {
  const read = settingsFrom((key) => ({ 'receiver.httpPort': 5000, 'receiver.grpcPort': 5000 })[key]);
  assert.equal(read.grpcPort, 0);
  assert.deepEqual(read.problems, ['spanlight.receiver.grpcPort and spanlight.receiver.httpPort are both 5000: gRPC is off until they differ']);
});

test('CORS origins must be origins as browsers send them: a trailing slash is dropped, one without its scheme is named and ignored', () => {
  const read = settingsFrom((key) => (key === 'receiver.corsOrigins' ? ['http://localhost:5173/', 'localhost:3000', '*', 'https://app.example.com:8443'] : undefined));
  assert.deepEqual(read.corsOrigins, ['http://localhost:5173', '*', 'https://app.example.com:8443']);
  assert.equal(read.problems.length, 1);
  assert.match(read.problems[0], /"localhost:3000" is not an origin/);
});

test('a bad price override alone does not claim that other overrides apply', () => {
  assert.deepEqual(settingsFrom((key) => (key === 'pricing.overrides' ? 'abc' : undefined)).problems, [
    'spanlight.pricing.overrides: price overrides must be an object of model id → {input, output}',
  ]);
});
