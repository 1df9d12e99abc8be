// Trace text quoted in a notification reads as it is, but never makes a link: VS Code links
// `[label](https://…)` and `[label](command:…)` in notification messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notificationText } from '../../../src/base/notificationText';

/** VS Code's notification link syntax (base/common/linkedText.ts), enough to tell a link. */
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/;

test('link syntax in trace text is broken, the text reads the same', () => {
  for (const text of [
    '[Open settings](command:workbench.action.openSettings)',
    'src/[x](https://evil.example/phish).py',
    '[a] (command:spanlight.clearTraces)',
    '[a]\t(file:///etc/passwd)',
  ]) {
    assert.match(text.replace(/\](\s*)\(/, ']('), LINK);
    const shown = notificationText(text);
    assert.doesNotMatch(shown, LINK, shown);
    assert.equal(shown.replace(/\u200b/g, ''), text, 'only a zero-width space is added');
  }
  assert.equal(notificationText('/home/dev/app.py'), '/home/dev/app.py');
});

test('icon syntax in trace text is broken, the text reads the same', () => {
  // VS Code's icon syntax (base/common/iconLabels.ts), as status bar messages and notifications draw it.
  const ICON = /\$\([a-z0-9-]+?(?:~[a-z0-9-]*?)?\)/i;
  for (const text of ['$(loading~spin) chat', 'cost $(1.20)', 'a $(bug) b $(gear)']) {
    const shown = notificationText(text);
    assert.doesNotMatch(shown, ICON, shown);
    assert.equal(shown.replace(/\u200b/g, ''), text);
  }
  assert.equal(notificationText('costs $5 (estimated)'), 'costs $5 (estimated)');
});

test('long text is cut to two notification lines', () => {
  const shown = notificationText('x'.repeat(5000));
  assert.equal(shown.length, 200);
  assert.ok(shown.endsWith('…'));
});
