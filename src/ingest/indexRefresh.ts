// Keeps the stored index in step with what derives it. A span's index entry (the trace list's models,
// tokens and cost, its search text, its row in the span tree) is derived when the span is stored,
// while reading the span derives it again with the code and prices of the moment. So a change of
// either made the two disagree: a model the user had just priced in `spanlight.pricing.overrides`
// still showed no cost in the list, and a fix to a convention's normalization left the spans stored
// before it wrong in the list. Now the spans that may be stale are derived again from their records,
// and stored again where their index would change:
// - the calls of the models whose price an override change touches;
// - every model call with usage, when this build's price table differs from the one they were priced with;
// - every span, when INDEX_DERIVATION differs from the one they were indexed with (once per update).
// A span stored in contract form (made in the process, or OTLP/JSON in stores written before it was stored
// as protobuf) is only priced again: see IngestPipeline.reindex.
// What the stored entries follow is kept in the store's state, so a change made while Spanlight was not
// running (settings.json edited, the CLI started with other overrides, an update) is caught up at the next start.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Disposable } from '../base/emitter';
import { parsePriceOverrides, resolvePrice, type PriceOverrides } from '../pricing/cost';
import { PRICE_TABLE } from '../pricing/priceTable';
import type { Span } from '../protocol/model';
import { sessionSearchText, type IndexFields } from '../store/spanMeta';
import type { SpanlightState } from '../store/stateDb';
import type { StoredSpanKey, StoredUsageCall, TraceStore } from '../store/traceStore';
import type { IngestPipeline, KeepStored } from './ingestPipeline';

/**
 * Bump it with a change to normalization or indexing that changes the index entries of spans already
 * stored: stores indexed before are then indexed again once. 2: the preview keeps the JSON attributes
 * that hold a call's model or usage (CALL_FIELDS_IN_JSON). 3: Claude Code's spans are model calls,
 * tools and agent turns, with tokens (semconv/claudeCode.ts); Google ADK's call_llm spans are model
 * calls, with the usage in their response JSON (semconv/googleAdk.ts); a span with token usage and
 * no operation name is a model call (callFragments.ts); a reported cost stands in for a missing price.
 * 4: OpenLIT's `gen_ai.usage.cost` is a reported cost (semconv/genai.ts); MLflow's spans are model
 * calls, tools and chains (semconv/mlflow.ts); Gemini CLI's llm_call spans are model calls
 * (semconv/geminiCli.ts); an operation named like an Object member is `other`. 5: Strands Agents'
 * model calls count Bedrock's whole prompt, its event-loop and multi-agent spans are workflow steps
 * (semconv/strands.ts); messages in Bedrock Converse blocks are read (their text is searched);
 * Mastra's workflow spans are workflow steps (semconv/mastra.ts); the function tools and agent runs
 * of Logfire's OpenAI Agents SDK integration are tools and agents (semconv/logfire.ts); `operation.cost`
 * is a reported cost (semconv/genai.ts); Pydantic AI's runs have their history's text (semconv/pydanticAi.ts);
 * Gemini Contents in GenAI events are read (semconv/genaiEvents.ts). 6: LiteLLM's call types are
 * operations (`acompletion` a chat: semconv/operations.ts) and its `gen_ai.cost.total_cost` a reported
 * cost (semconv/genai.ts); structured messages' OpenAI tool calls and content blocks are read
 * (semconv/structuredMessages.ts); Haystack's spans are model calls, retrievals and pipeline steps with
 * the model and usage of their replies (semconv/haystack.ts); Haystack's component runs and Logfire's
 * templated spans are indexed by their display name (semconv/displayName.ts); GenAI's `plan` operation
 * is a workflow step, `search_memory` a retrieval, and its server tool calls are tool calls
 * (semconv/structuredMessages.ts); OpenInference's `llm.cost.total` is a reported cost (semconv/openinference.ts);
 * Genkit's model actions are model calls with their usage (semconv/genkit.ts); AG2's conversations and
 * code execution are workflow steps and tools (semconv/operations.ts). 7: what OpenRouter charged a
 * Vercel AI SDK model call (`ai.response.providerMetadata`) is a reported cost (semconv/vercelAi.ts).
 * 8: GenAI's cache-write tokens (`cache_write`) and exception event, Traceloop's Anthropic input count
 * with the cache added back, and the tokens and system prompt of the other Anthropic recorders
 * (semconv/); source locations: frames inside ExceptionGroup boxes, more standard libraries, Deno's
 * and web modules and Cython modules skipped, JVM traces and tracebacks quoted in a message not read,
 * source paths over 1 KiB kept whole for the index (source/, ingest/indexTraces.ts); search text: a long
 * attribute's latest user turn, escaped text read wide enough, messages' ends, tool arguments and results,
 * wider budgets (otlp/longTextEdges.ts, store/spanMeta.ts). 9: a Responses answer's calls of tools other
 * than functions (web search, MCP…) are tool calls, searched by their tool and arguments
 * (semconv/responsesToolItems.ts). 10: a serialized Responses request's input items (earlier turns' calls,
 * the app's outputs for them) are assistant and tool messages, where they were empty user messages
 * (semconv/responsesItems.ts); OpenInference's, Langfuse's and MLflow's Responses calls are `responses`,
 * not `chat`. 11: a span's search text starts with its session and user ids (semconv/session.ts), so
 * the filter finds a conversation's turns stored before it did.
 */
export const INDEX_DERIVATION = 11;

declare module '../store/stateDb' {
  interface SpanlightState {
    /** What the stored index entries were derived with: price overrides, price table digest, INDEX_DERIVATION. */
    indexedWith?: { overrides: PriceOverrides; table: string; derivation: number };
  }
}

/** Which built-in table this build prices with: any change to it re-checks every stored model call. */
export const PRICE_TABLE_DIGEST = createHash('sha256').update(JSON.stringify(PRICE_TABLE)).digest('hex').slice(0, 16);

/** Spans derived again between two yields to the event loop: the receiver keeps answering meanwhile. */
const CHUNK = 200;

/** Reports progress of a refresh: spans done, out of `total`. */
export type RefreshProgress = (done: number, total: number) => void;

/** What a refresh derives again, widest first. */
type Reach = 'every span' | 'every call' | 'changed prices';

export class IndexRefresher implements Disposable {
  /** Overrides applied since the store's state last recorded a finished refresh (a newer one cancels a run). */
  private unfinished: PriceOverrides[] = [];
  /** The widest reach of a run that did not finish: the next one must cover it. */
  private unfinishedReach: Reach | undefined;
  private generation = 0;

  constructor(
    private readonly store: TraceStore,
    private readonly pipeline: Pick<IngestPipeline, 'reindex'>,
  ) {}

  /**
   * Derives again the spans whose index may be stale under `overrides`, this build's price table and
   * INDEX_DERIVATION, and stores again those whose index changes; the pipeline must normalize with
   * `overrides` already. Resolves with how many were stored again, once the store's state records what
   * its entries now follow (a later call that starts meanwhile cancels this one).
   */
  async refresh(setting: PriceOverrides, onProgress?: RefreshProgress): Promise<number> {
    // A copy of its own: the state file keeps it, and the caller's object is not ours to hold.
    const overrides = JSON.parse(JSON.stringify(setting)) as PriceOverrides;
    // state.json is user-editable: a record that is not well formed counts as none.
    const basis = wellFormed(this.store.state.get('indexedWith'));
    // A store from before this was kept (no basis) may follow any earlier derivation and table.
    const reach: Reach =
      this.unfinishedReach === 'every span' || basis?.derivation !== INDEX_DERIVATION
        ? 'every span'
        : this.unfinishedReach === 'every call' || basis?.table !== PRICE_TABLE_DIGEST
          ? 'every call'
          : 'changed prices';
    const stored = [basis?.overrides ?? {}, ...this.unfinished];
    // Another setting changed, or the same overrides again: nothing to do (and no run is under way,
    // since one would have left its overrides or its reach in `unfinished`).
    if (reach === 'changed prices' && stored.every((before) => isDeepStrictEqual(before, overrides))) return 0;
    const generation = ++this.generation;
    this.unfinished.push(overrides);
    this.unfinishedReach = reach;
    const spans = this.stale(reach, stored, overrides);
    let done = 0;
    for (let i = 0; i < spans.length; i += CHUNK) {
      const chunk = spans.slice(i, i + CHUNK);
      const stores = await Promise.all(chunk.map(({ key, keep }) => this.pipeline.reindex(key.traceId, key.spanId, keep)));
      done += stores.filter(Boolean).length;
      if (generation !== this.generation) return done;
      onProgress?.(Math.min(i + CHUNK, spans.length), spans.length);
      await new Promise((resolve) => setImmediate(resolve));
      if (generation !== this.generation) return done;
    }
    this.unfinished = [];
    this.unfinishedReach = undefined;
    const indexedWith = { overrides, table: PRICE_TABLE_DIGEST, derivation: INDEX_DERIVATION };
    if (!isDeepStrictEqual(basis, indexedWith)) {
      await this.store.state.update((state) => {
        state.indexedWith = indexedWith;
      });
    }
    return done;
  }

  /** Stops a refresh in progress (the store is closing); the next start catches up. */
  dispose(): void {
    this.generation++;
  }

  /** The spans to derive again, each with what keeps its stored version (its index would not change). */
  private stale(reach: Reach, stored: readonly PriceOverrides[], next: PriceOverrides): { key: StoredSpanKey; keep: KeepStored }[] {
    if (reach === 'every span') {
      return this.store.spanKeys().map((key) => ({
        key,
        keep: (fields: IndexFields, span: Span) => this.store.indexHolds(key, fields, sessionSearchText(span.session)),
      }));
    }
    const changed = reach === 'every call' ? () => true : priceChangeTest(stored, next);
    return this.store
      .usageCalls()
      .filter((call) => changed(call.model))
      .map((call) => ({ key: call, keep: sameCost(call) }));
  }
}

type IndexedWith = NonNullable<SpanlightState['indexedWith']>;

function wellFormed(recorded: unknown): IndexedWith | undefined {
  if (typeof recorded !== 'object' || recorded === null) return undefined;
  const { overrides, table, derivation } = recorded as Partial<IndexedWith>;
  const { overrides: parsed, errors } = parsePriceOverrides(overrides);
  return typeof table === 'string' && typeof derivation === 'number' && typeof overrides === 'object' && errors.length === 0
    ? { overrides: parsed, table, derivation }
    : undefined;
}

/** A call derived again keeps its stored version when its cost came out the same (nothing to write). */
function sameCost(call: StoredUsageCall): KeepStored {
  return (fields) => fields.llm?.costUsd === call.costUsd;
}

/**
 * Whether a model's price under `next` differs from its price under any of `before` (the stored costs
 * may follow any of them). Per model, once. The provider only decides whether the built-in table
 * applies (self-hosted runtimes), never whether an override does, so comparing without it finds every
 * model an override change touches.
 */
function priceChangeTest(before: readonly PriceOverrides[], next: PriceOverrides): (model: string) => boolean {
  const known = new Map<string, boolean>();
  return (model) => {
    let changed = known.get(model);
    if (changed === undefined) {
      const price = resolvePrice(model, undefined, next);
      changed = before.some((overrides) => !isDeepStrictEqual(resolvePrice(model, undefined, overrides), price));
      known.set(model, changed);
    }
    return changed;
  };
}
