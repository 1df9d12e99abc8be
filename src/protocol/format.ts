// How numbers read in the views. Pure (no DOM), shared by the sidebar, the detail panel and the editor's call-site lenses.

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms === 0) return '0 ms';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/** 950 → "950", 1234 → "1.2k", 12345 → "12k", 1234567 → "1.2M". */
export function formatTokens(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  if (abs < 10_000) return `${trimZero((n / 1000).toFixed(1))}k`;
  if (abs < 1_000_000) return `${Math.round(n / 1000)}k`;
  if (abs < 10_000_000) return `${trimZero((n / 1_000_000).toFixed(1))}M`;
  return `${Math.round(n / 1_000_000)}M`;
}

function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/**
 * Dollars with the precision a per-call cost needs: two significant digits under a dollar
 * ($0.0012, $0.046), cents above, "—" when the price is unknown (never a misleading $0).
 */
export function formatCost(usd: number | undefined): string {
  if (usd === undefined || !Number.isFinite(usd)) return '—';
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  if (usd < 1) return `$${Number(usd.toPrecision(2))}`;
  if (usd < 1000) return `$${usd.toFixed(2)}`;
  return `$${Math.round(usd).toLocaleString('en-US')}`;
}

/**
 * A trace's cost as its row and header show it: the priced calls' sum, marked with a `+` when some calls
 * have no price (a sum that leaves calls out must not read as the whole), with the reason as a tooltip.
 */
export function formatTraceCost(costUsd: number | undefined, unpricedCalls = 0): { text: string; title: string } {
  if (unpricedCalls === 0) return { text: formatCost(costUsd), title: costUsd === undefined ? '' : 'Cost at list prices' };
  const calls = `${unpricedCalls} model call${unpricedCalls === 1 ? ' has' : 's have'} no price (a model the price table does not know; spanlight.pricing.overrides can add it)`;
  return costUsd === undefined ? { text: '—', title: calls } : { text: `${formatCost(costUsd)}+`, title: `Cost of the priced calls; ${calls}` };
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "1 file", "12,006 files": a count and its noun, plural but for one. */
export function formatCountOf(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** Epoch ms of a decimal nanosecond string (ms precision is all an age or a clock time needs). */
export function nanoToMs(nano: string): number {
  const ms = Number(nano) / 1e6;
  return Number.isFinite(ms) ? ms : 0;
}

/** "now", "12s ago", "5m ago", "3h ago", "2d ago". A start in the future (clock skew) reads "now". */
export function formatAge(startMs: number, nowMs: number): string {
  const seconds = Math.floor((nowMs - startMs) / 1000);
  if (seconds < 1) return 'now';
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return `${Math.floor(hours / 24)}d ago`;
}

/** Wall-clock time of a span or event, with ms: what users compare with their logs. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** "1.2k → 340" (input → output tokens), or undefined when neither is known. */
export function formatTokenPair(input: number | undefined, output: number | undefined): string | undefined {
  if (input === undefined && output === undefined) return undefined;
  return `${input === undefined ? '?' : formatTokens(input)} → ${output === undefined ? '?' : formatTokens(output)}`;
}

/**
 * A model id without its snapshot date, for narrow rows: gpt-4o-mini-2024-07-18 → gpt-4o-mini,
 * claude-3-5-sonnet-20241022 → claude-3-5-sonnet. The full id stays in the tooltip and the detail.
 */
export function shortModel(model: string): string {
  return model.replace(/-(\d{4}-\d{2}-\d{2}|\d{8})$/, '');
}

/** Pretty JSON when the text is JSON, else the text unchanged (tool arguments, results). */
export function prettyJson(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return text;
  }
}
