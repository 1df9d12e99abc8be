import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import {
  bytesToHex,
  durationMsFromDecimals,
  durationMsFromLongs,
  idFromJson,
  int64FromJson,
  int64ToJson,
  timeFromJson,
  uint64ToDecimal,
  type PbLong,
} from '../../../src/otlp/scalars';

// protobufjs' own Long class (the `long` package it depends on), typed just enough for these tests.
const Long = protobuf.util.Long as unknown as {
  fromString(value: string, unsigned?: boolean): PbLong;
  fromNumber(value: number): PbLong;
  UZERO: PbLong;
};

test('fixed64 nanosecond times convert to exact decimal strings on both sides of 2^53', () => {
  assert.equal(uint64ToDecimal(Long.fromString('1700000000123456789', true)), '1700000000123456789');
  assert.equal(uint64ToDecimal(Long.fromString('18446744073709551615', true)), '18446744073709551615');
  assert.equal(uint64ToDecimal(Long.fromString('9007199254740991', true)), '9007199254740991');
  assert.equal(uint64ToDecimal(Long.UZERO), '0');
  assert.equal(uint64ToDecimal(undefined), '0');
});

test('durations come from the 64-bit difference, not from rounded doubles', () => {
  const start = Long.fromString('1700000000000000001', true);
  const end = Long.fromString('1700000000000001001', true);
  assert.equal(durationMsFromLongs(start, end), 0.001);
  assert.equal(durationMsFromLongs(end, start), 0);
});

test('a span without a start or an end took no known time, in protobuf as in OTLP/JSON', () => {
  const end = Long.fromString('1700000000000001001', true);
  assert.equal(durationMsFromLongs(Long.UZERO, end), 0);
  assert.equal(durationMsFromLongs(0, end), 0);
  assert.equal(durationMsFromLongs(end, Long.UZERO), 0);
  assert.equal(durationMsFromDecimals('0', '1700000000000001001'), 0);
});

test('an OTLP/JSON time beyond 64 bits is no time, as a number as in a string', () => {
  assert.equal(timeFromJson('18446744073709551616'), '0');
  assert.equal(timeFromJson(2 ** 64), '0');
  assert.equal(timeFromJson(2 ** 63), '9223372036854775808');
});

test('bytes become lowercase hex', () => {
  assert.equal(bytesToHex(Uint8Array.from([0, 1, 0xab, 0xff])), '0001abff');
});

test('JSON ids: hex of the right length or base64 of the right byte count, nothing else', () => {
  assert.equal(idFromJson('EEE19B7EC3C1B174', 8), 'eee19b7ec3c1b174');
  assert.equal(idFromJson(Buffer.from('eee19b7ec3c1b174', 'hex').toString('base64'), 8), 'eee19b7ec3c1b174');
  assert.equal(idFromJson('0000000000000000', 8), undefined);
  assert.equal(idFromJson('eee19b7ec3c1b1', 8), undefined);
  // base64 as protobuf's JSON mapping writes it: padded or not, standard or URL-safe.
  const bytes = Buffer.from('fbff9b7ec3c1b174', 'hex');
  for (const text of [bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')]) {
    assert.equal(idFromJson(text, 8), 'fbff9b7ec3c1b174', text);
  }
  // Strings Node's lenient decoder turns into 8 or 16 bytes, which no sender wrote as an id: rejected.
  assert.equal(idFromJson('zzzzzzzzzzz', 8), undefined);
  assert.equal(idFromJson('abcdef0123456789abcdef', 16), undefined);
  assert.equal(idFromJson('eee19b7e c3c1b17', 8), undefined);
  assert.equal(idFromJson(12345, 8), undefined);
});

test('JSON times: decimal strings or numbers; anything else is 0', () => {
  assert.equal(timeFromJson('1700000000123456789'), '1700000000123456789');
  assert.equal(timeFromJson(1_700_000_000_000), '1700000000000');
  assert.equal(timeFromJson('-5'), '0');
  assert.equal(timeFromJson('99999999999999999999'), '0');
  assert.equal(timeFromJson({}), '0');
});

test('int64 values are numbers while safe, exact strings beyond', () => {
  assert.equal(int64ToJson(Long.fromNumber(-42)), -42);
  assert.equal(int64ToJson(Long.fromString('9007199254740993')), '9007199254740993');
  assert.equal(int64ToJson(Long.fromString('-9223372036854775808')), '-9223372036854775808');
  assert.equal(int64FromJson('12'), 12);
  assert.equal(int64FromJson('9007199254740993'), '9007199254740993');
  assert.equal(int64FromJson('1.5'), undefined);
  // A JSON number past 2^53 is not exact either: its text, as a string past 2^53 gives.
  assert.equal(int64FromJson(2 ** 60), '1152921504606846976');
  assert.equal(int64FromJson(-7.9), -7);
});
