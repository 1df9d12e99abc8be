// Keeps stored costs in step with the `spanlight.pricing.overrides` setting. A model call's cost is
// computed when it is stored (the index keeps it: the trace list and the per-call-site stats sum it),
// while reading a span prices it again with the current overrides. So after a change the two
// disagreed: a model the user had just priced still showed no cost in the list. Now the model calls
// whose price changed are indexed again from their records. The overrides the stored costs follow are
// kept in the store's state, so a change made while Spanlight was not running (settings.json edited,
// the CLI started with others) is caught up at the next start.
import { isDeepStrictEqual } from 'node:util';
import type { Disposable } from '../base/emitter';
import { resolvePrice, type PriceOverrides } from '../pricing/cost';
import type { StoredUsageCall, TraceStore } from '../store/traceStore';
import type { IngestPipeline } from './ingestPipeline';

declare module '../store/stateDb' {
  interface SpanlightState {
    /** The price overrides the stored costs were computed with (absent: none). */
    pricedWith?: PriceOverrides;
  }
}

/** Spans re-indexed between two yields to the event loop: the receiver keeps answering meanwhile. */
const CHUNK = 200;

/** Reports progress of a re-pricing: model calls done, out of `total`. */
export type RepricingProgress = (done: number, total: number) => void;

export class Repricer implements Disposable {
  /** Overrides applied since the store's state last recorded a finished re-pricing (a newer one cancels a run). */
  private unfinished: PriceOverrides[] = [];
  private generation = 0;

  constructor(
    private readonly store: TraceStore,
    private readonly pipeline: Pick<IngestPipeline, 'reindex'>,
  ) {}

  /**
   * Re-indexes the model calls whose price differs under `overrides` from the one they were stored
   * with; the pipeline must normalize with `overrides` already. Resolves with how many were re-indexed,
   * once the store's state records `overrides` (a later call that starts meanwhile cancels this one).
   */
  async apply(setting: PriceOverrides, onProgress?: RepricingProgress): Promise<number> {
    // A plain copy: VS Code's configuration objects are proxies, which the state file cannot clone.
    const overrides = JSON.parse(JSON.stringify(setting)) as PriceOverrides;
    const generation = ++this.generation;
    const stored = [this.store.state.get('pricedWith') ?? {}, ...this.unfinished];
    // Another setting changed, or the same overrides again: nothing to do.
    if (stored.every((before) => isDeepStrictEqual(before, overrides))) {
      this.unfinished = [];
      return 0;
    }
    this.unfinished.push(overrides);
    const changed = priceChangeTest(stored, overrides);
    const calls = this.store.usageCalls().filter((call) => changed(call.model));
    let done = 0;
    for (let i = 0; i < calls.length; i += CHUNK) {
      const chunk = calls.slice(i, i + CHUNK);
      const reindexed = await Promise.all(chunk.map((call: StoredUsageCall) => this.pipeline.reindex(call.traceId, call.spanId)));
      done += reindexed.filter(Boolean).length;
      if (generation !== this.generation) return done;
      onProgress?.(Math.min(i + CHUNK, calls.length), calls.length);
      await new Promise((resolve) => setImmediate(resolve));
      if (generation !== this.generation) return done;
    }
    this.unfinished = [];
    if (!isDeepStrictEqual(this.store.state.get('pricedWith') ?? {}, overrides)) {
      await this.store.state.update((state) => {
        state.pricedWith = overrides;
      });
    }
    return done;
  }

  /** Stops a re-pricing in progress (the store is closing); the next start catches up. */
  dispose(): void {
    this.generation++;
  }
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
