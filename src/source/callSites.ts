// Per-call-site stats: the spans of recent traces grouped by the line of code that made them, for the
// editor to show on that line (views/callSiteLenses.ts). A span's site is its recorded source (code
// attributes, an error's stack) or, for a model call that recorded none, where its prompt is written —
// found by text (promptLocator.ts), so such calls are grouped by their prompt here and placed by the
// caller. Pure: which traces, and where a site is in the workspace, are the caller's business.
import { formatCost, formatCount, formatCountOf, formatDuration, formatTokens, nanoToMs, shortModel } from '../protocol/format';
import { isModelCallOperation, shownName, type Span } from '../protocol/model';
import { FROM_SYSTEM_PROMPT, promptNeedles, type PromptNeedle } from './promptLocator';

/** Where a span was made, as far as its data says. */
export type SiteRef =
  | { kind: 'recorded'; key: string; path: string; line: number }
  | { kind: 'prompt'; key: string; needles: PromptNeedle[] };

/** What a site's stats need of one span. */
export interface SiteSample {
  traceId: string;
  spanId: string;
  name: string;
  /** Start, in ms since the epoch (for "latest"). */
  startMs: number;
  durationMs: number;
  error: boolean;
  modelCall: boolean;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

export interface SiteStats {
  spans: number;
  /** Of them, model calls (the lens says "LLM calls" when all are). */
  modelCalls: number;
  errors: number;
  traces: number;
  p50Ms: number;
  p95Ms: number;
  /** Summed over the spans that recorded usage; undefined when none did. */
  inputTokens?: number;
  outputTokens?: number;
  /** Summed over the spans with a known cost; undefined when none had one (unknown is not free). */
  costUsd?: number;
  /** Most used first. */
  models: string[];
  /** The most recent span: where the lens's click goes. */
  latest: SiteSample;
}

/**
 * The span's site. A recorded location wins (it is exact); a location a prompt search found earlier
 * (origin `search`) is not one: such a span is grouped by its prompt like every call that has none.
 * Model calls are grouped by the first literal run of their system prompt when they have one (written
 * once, where the call is made, while user messages vary from call to call; a RAG app's context is
 * put in after it), else of their prompt: a template's text before its first placeholder. The site's
 * needles are those of one of its calls, to place it by.
 */
export function siteOf(span: Span): SiteRef | undefined {
  const source = span.source;
  if (source && source.origin !== 'search' && source.path !== '' && Number.isFinite(source.line)) {
    return { kind: 'recorded', key: `source\u0000${source.path}\u0000${source.line}`, path: source.path, line: source.line };
  }
  if (!span.llm || !isModelCallOperation(span.llm.operation)) return undefined;
  const needles = promptNeedles(span);
  if (needles.length === 0) return undefined;
  const system = needles.filter((n) => n.from === FROM_SYSTEM_PROMPT);
  const grouping = system.length > 0 ? system : needles;
  return { kind: 'prompt', key: `prompt\u0000${grouping[0].text}`, needles: grouping };
}

export function sampleOf(span: Span): SiteSample {
  const llm = span.llm;
  const usage = llm?.usage;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    name: shownName(span),
    startMs: nanoToMs(span.startTimeUnixNano),
    durationMs: Number.isFinite(span.durationMs) ? span.durationMs : 0,
    error: span.status?.code === 'ERROR',
    modelCall: llm !== undefined && isModelCallOperation(llm.operation),
    model: llm?.responseModel || llm?.requestModel || undefined,
    inputTokens: finite(usage?.inputTokens),
    outputTokens: finite(usage?.outputTokens),
    costUsd: finite(llm?.costUsd),
  };
}

const finite = (v: number | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The stats of a site's samples (at least one). */
export function statsOf(samples: readonly SiteSample[]): SiteStats {
  const durations = samples.map((s) => s.durationMs).sort((a, b) => a - b);
  const models = new Map<string, number>();
  const traces = new Set<string>();
  let latest = samples[0];
  let modelCalls = 0;
  let errors = 0;
  let inputTokens: number | undefined;
  let outputTokens: number | undefined;
  let costUsd: number | undefined;
  for (const s of samples) {
    traces.add(s.traceId);
    if (s.startMs > latest.startMs) latest = s;
    if (s.modelCall) modelCalls++;
    if (s.error) errors++;
    if (s.model) models.set(s.model, (models.get(s.model) ?? 0) + 1);
    if (s.inputTokens !== undefined) inputTokens = (inputTokens ?? 0) + s.inputTokens;
    if (s.outputTokens !== undefined) outputTokens = (outputTokens ?? 0) + s.outputTokens;
    if (s.costUsd !== undefined) costUsd = (costUsd ?? 0) + s.costUsd;
  }
  return {
    spans: samples.length,
    modelCalls,
    errors,
    traces: traces.size,
    p50Ms: percentile(durations, 0.5),
    p95Ms: percentile(durations, 0.95),
    inputTokens,
    outputTokens,
    costUsd,
    models: [...models.entries()].sort((a, b) => b[1] - a[1]).map(([model]) => model),
    latest,
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** A site and its samples. */
export interface SiteGroup {
  site: SiteRef;
  samples: SiteSample[];
}

/**
 * The samples of the traces given, by site. A trace is given whole each time it changes (its spans
 * arrive over many exports), and replaces what it gave before.
 */
export class CallSiteSamples {
  private readonly byTrace = new Map<string, { site: SiteRef; sample: SiteSample }[]>();

  setTrace(traceId: string, spans: readonly Span[]): void {
    const entries: { site: SiteRef; sample: SiteSample }[] = [];
    for (const span of spans) {
      const site = siteOf(span);
      if (site) entries.push({ site, sample: sampleOf(span) });
    }
    if (entries.length > 0) this.byTrace.set(traceId, entries);
    else this.byTrace.delete(traceId);
  }

  removeTrace(traceId: string): void {
    this.byTrace.delete(traceId);
  }

  clear(): void {
    this.byTrace.clear();
  }

  get traceCount(): number {
    return this.byTrace.size;
  }

  /** Every site with its samples, by site key. */
  groups(): Map<string, SiteGroup> {
    const groups = new Map<string, SiteGroup>();
    for (const entries of this.byTrace.values()) {
      for (const { site, sample } of entries) {
        const group = groups.get(site.key);
        if (group) group.samples.push(sample);
        else groups.set(site.key, { site, samples: [sample] });
      }
    }
    return groups;
  }
}

// ── what the editor shows ──────────────────────────────────────────────────────────────────────────

/** The lens's one line: `12 LLM calls · gpt-4o-mini · p50 1.40 s · 3.1k tokens · $0.021 · 1 error`. */
export function siteTitle(stats: SiteStats): string {
  const parts = [formatCountOf(stats.spans, stats.modelCalls === stats.spans ? 'LLM call' : 'span')];
  if (stats.models.length > 0) parts.push(stats.models.length === 1 ? shortModel(stats.models[0]) : `${shortModel(stats.models[0])} +${stats.models.length - 1}`);
  parts.push(`p50 ${formatDuration(stats.p50Ms)}`);
  const tokens = (stats.inputTokens ?? 0) + (stats.outputTokens ?? 0);
  if (stats.inputTokens !== undefined || stats.outputTokens !== undefined) parts.push(`${formatTokens(tokens)} tokens`);
  if (stats.costUsd !== undefined) parts.push(formatCost(stats.costUsd));
  if (stats.errors > 0) parts.push(formatCountOf(stats.errors, 'error'));
  return parts.join(' · ');
}

/**
 * The lens's hover: the same and more, one fact a line. `placedByPrompt`: no span said it was made here;
 * `window`: how many recent traces were counted.
 */
export function siteTooltip(stats: SiteStats, placedByPrompt: boolean, window: number): string {
  const lines = [
    `${formatCountOf(stats.spans, stats.modelCalls === stats.spans ? 'LLM call' : 'span')} in ${formatCountOf(stats.traces, 'trace')} (of the latest ${window} traces)`,
    `Latency: p50 ${formatDuration(stats.p50Ms)}, p95 ${formatDuration(stats.p95Ms)}`,
  ];
  if (stats.models.length > 0) lines.push(`Models: ${stats.models.join(', ')}`);
  if (stats.inputTokens !== undefined || stats.outputTokens !== undefined) {
    lines.push(`Tokens: ${formatCount(stats.inputTokens ?? 0)} in, ${formatCount(stats.outputTokens ?? 0)} out`);
  }
  if (stats.costUsd !== undefined) lines.push(`Cost: ${formatCost(stats.costUsd)}`);
  if (stats.errors > 0) lines.push(`Errors: ${stats.errors}`);
  lines.push(placedByPrompt ? 'Placed here by their prompt text (the calls recorded no source line).' : 'Recorded at this line.');
  lines.push(`Click to open the latest: "${stats.latest.name}"`);
  return lines.join('\n');
}
