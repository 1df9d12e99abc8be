// A path recorded in a container or on another machine opens the workspace file that stands for it:
// the longest shared tail, then the shortest path, the same one every time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestByTail, pathSegments } from '../../../src/source/workspacePaths';

const choose = (recorded: string, candidates: string[]): string | undefined => candidates[closestByTail(pathSegments(recorded), candidates.map(pathSegments))];

test('the longest shared tail wins: a container path finds its file in the workspace', () => {
  assert.equal(choose('/app/src/agent/utils.py', ['tools/utils.py', 'src/agent/utils.py', 'src/utils.py']), 'src/agent/utils.py');
  assert.equal(choose('C:\\work\\proj\\src\\agent.py', ['src/agent.py', 'agent.py']), 'src/agent.py');
});

test('equal tails: the shortest path, then path order, whatever order the search returned them in', () => {
  for (const order of [['tests/fixtures/agent.py', 'src/agent.py'], ['src/agent.py', 'tests/fixtures/agent.py']]) {
    assert.equal(choose('/app/agent.py', order), 'src/agent.py');
  }
  for (const order of [['b/agent.py', 'a/agent.py'], ['a/agent.py', 'b/agent.py']]) {
    assert.equal(choose('/app/agent.py', order), 'a/agent.py');
  }
});

test('no candidate with the same file name: none', () => {
  assert.equal(choose('/app/agent.py', ['src/other.py']), undefined);
  assert.equal(choose('/app/agent.py', []), undefined);
});

test('segments: either slash, no empty or current-directory ones', () => {
  assert.deepEqual(pathSegments('C:\\a\\.\\b//c.py'), ['C:', 'a', 'b', 'c.py']);
});
