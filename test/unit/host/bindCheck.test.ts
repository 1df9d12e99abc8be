// What the window says about `spanlight.receiver.host` before binding: once for both transports, and what
// is true of the host — a typo is not "reachable from other machines".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindHostKind, bindHostProblem } from '../../../src/host/bindCheck';

test('loopback, wildcard and interface addresses are told apart without a lookup', async () => {
  for (const host of ['127.0.0.1', 'localhost', '[::1]']) assert.equal(await bindHostKind(host), 'loopback', host);
  for (const host of ['0.0.0.0', '::', '192.168.1.20']) assert.equal(await bindHostKind(host), 'network', host);
});

test('a host name nobody knows is unresolved, and said to be so, with or without a token', async () => {
  // .invalid never resolves (RFC 6761), whatever the machine's DNS search domains.
  assert.equal(await bindHostKind('localhots.invalid'), 'unresolved');
  for (const hasToken of [false, true]) {
    const problem = bindHostProblem('unresolved', 'localhots', hasToken) ?? '';
    assert.match(problem, /no address is known for that name/);
    assert.doesNotMatch(problem, /other machines/);
  }
});

test('beyond loopback without a token is one message in VS Code terms; with a token it is allowed', () => {
  const problem = bindHostProblem('network', '0.0.0.0', false) ?? '';
  assert.match(problem, /reachable from other machines/);
  assert.match(problem, /Set an auth token/);
  assert.doesNotMatch(problem, /--auth-token|spanlight serve/);
  assert.equal(bindHostProblem('network', '0.0.0.0', true), undefined);
  assert.equal(bindHostProblem('loopback', '127.0.0.1', false), undefined);
});

test('a name for this machine other than localhost is not called reachable from other machines', () => {
  const problem = bindHostProblem('loopback-alias', 'myhost', false) ?? '';
  assert.match(problem, /names this machine/);
  assert.doesNotMatch(problem, /reachable from other machines/);
  assert.equal(bindHostProblem('loopback-alias', 'myhost', true), undefined);
});
