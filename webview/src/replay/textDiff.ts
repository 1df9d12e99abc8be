// What a replay's answer changed from the captured one, word by word: the longest common subsequence of
// their words (and the spaces between them), as runs of kept, removed and added text.

export interface DiffRun {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

/**
 * The LCS table's size at most (its cells are 4 bytes: 16 MB, tens of ms). The words both answers
 * begin and end with are taken off first, so two long answers that differ in a few places fit; two
 * long answers that differ throughout do not, and say so instead of freezing the panel.
 */
export const MAX_DIFF_CELLS = 4_000_000;

/** Words and the whitespace after them as separate tokens, so spacing changes show and the text rebuilds exactly. */
function tokens(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

/** The runs that turn `before` into `after`; undefined when they differ too widely to compare. */
export function wordDiff(before: string, after: string): DiffRun[] | undefined {
  const a = tokens(before);
  const b = tokens(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if ((n + 1) * (m + 1) > MAX_DIFF_CELLS) return undefined;
  const runs: DiffRun[] = [];
  const push = (kind: DiffRun['kind'], text: string): void => {
    const last = runs[runs.length - 1];
    if (last?.kind === kind) last.text += text;
    else runs.push({ kind, text });
  };
  for (let k = 0; k < head; k++) push('same', a[k]);
  // lcs[i * (m + 1) + j]: the longest common subsequence of the middles' a[i..] and b[j..].
  const at = (i: number): string => a[head + i];
  const bt = (j: number): string => b[head + j];
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = at(i) === bt(j) ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (at(i) === bt(j)) {
      push('same', at(i));
      i++;
      j++;
    } else if (lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) push('removed', at(i++));
    else push('added', bt(j++));
  }
  while (i < n) push('removed', at(i++));
  while (j < m) push('added', bt(j++));
  for (let k = a.length - tail; k < a.length; k++) push('same', a[k]);
  return runs;
}
