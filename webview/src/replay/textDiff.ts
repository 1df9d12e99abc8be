// What a replay's answer changed from the captured one, word by word: the longest common subsequence of
// their words (and the spaces between them), as runs of kept, removed and added text.

export interface DiffRun {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

/** Past this many words on either side the table (their product) is too big to build at a click. */
export const MAX_DIFF_WORDS = 4000;

/** Words and the whitespace after them as separate tokens, so spacing changes show and the text rebuilds exactly. */
function tokens(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

/** The runs that turn `before` into `after`; undefined when either is too long to compare. */
export function wordDiff(before: string, after: string): DiffRun[] | undefined {
  const a = tokens(before);
  const b = tokens(after);
  if (a.length > MAX_DIFF_WORDS * 2 || b.length > MAX_DIFF_WORDS * 2) return undefined;
  // lcs[i * (m + 1) + j]: the longest common subsequence of a[i..] and b[j..].
  const n = a.length;
  const m = b.length;
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[i] === b[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const runs: DiffRun[] = [];
  const push = (kind: DiffRun['kind'], text: string): void => {
    const last = runs[runs.length - 1];
    if (last?.kind === kind) last.text += text;
    else runs.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push('same', a[i]);
      i++;
      j++;
    } else if (lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) push('removed', a[i++]);
    else push('added', b[j++]);
  }
  while (i < n) push('removed', a[i++]);
  while (j < m) push('added', b[j++]);
  return runs;
}
