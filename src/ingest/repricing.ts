// Keeps stored costs in step with the prices: the `spanlight.pricing.overrides` setting and the
// built-in price table. A model call's cost is computed when it is stored (the index keeps it: the
// trace list and the per-call-site stats sum it), while reading a span prices it again with the
// current prices. So after a change the two disagreed: a model the user had just priced still showed
// no cost in the list. Now the model calls whose price may have changed are derived again from their
// records, and stored again where the cost did change. The prices the stored costs follow are kept in
// the store's state, so a change made while Spanlight was not running (settings.json edited, the CLI
// started with other overrides, an update that brought a new price table) is caught up at the next start.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Disposable } from '../base/emitter';
import { resolvePrice, type PriceOverrides } from '../pricing/cost';
import { PRICE_TABLE } from '../pricing/priceTable';
import type { IndexFields } from '../store/spanMeta';
import type { StoredUsageCall, TraceStore } from '../store/traceStore';
import type { IngestPipeline } from './ingestPipeline';

declare module '../store/stateDb' {
  interface SpanlightState {
    /** The prices the stored costs were computed with: the overrides, and the built-in table's digest. */
    pricedWith?: { overrides: PriceOverrides; table: string };
  }
}

/** Which built-in table this build prices with: any change to it re-checks every stored model call. */
export const PRICE_TABLE_DIGEST = createHash('sha256').update(JSON.stringify(PRICE_TABLE)).digest('hex').slice(0, 16);

/** Calls derived again between two yields to the event loop: the receiver keeps answering meanwhile. */
const CHUNK = 200;

/** Reports progress of a re-pricing: model calls done, out of `total`. */
export type RepricingProgress = (done: number, total: number) => void;

export class Repricer implements Disposable {
  /** Overrides applied since the store's state last recorded a finished re-pricing (a newer one cancels a run). */
  private unfinished: PriceOverrides[] = [];
  /** A run that was to check every call (the table changed) did not finish. */
  private fullCheckUnfinished = false;
  private generation = 0;

  constructor(
    private readonly store: TraceStore,
    private readonly pipeline: Pick<IngestPipeline, 'reindex'>,
  ) {}

  /**
   * Derives again the model calls whose price may differ under `overrides` (and this build's table)
   * from the prices they were stored with, and stores again those whose cost did change; the pipeline
   * must normalize with `overrides` already. Resolves with how many were stored again, once the store's
   * state records the new prices (a later call that starts meanwhile cancels this one).
   */
  async apply(setting: PriceOverrides, onProgress?: RepricingProgress): Promise<number> {
    // A plain copy: VS Code's configuration objects are proxies, which the state file cannot clone.
    const overrides = JSON.parse(JSON.stringify(setting)) as PriceOverrides;
    const generation = ++this.generation;
    const basis = this.store.state.get('pricedWith');
    // A store from before this was kept (no basis) may hold costs from any earlier table.
    const fullCheck = this.fullCheckUnfinished || basis?.table !== PRICE_TABLE_DIGEST;
    const stored = [basis?.overrides ?? {}, ...this.unfinished];
    // Another setting changed, or the same overrides again: nothing to do.
    if (!fullCheck && stored.every((before) => isDeepStrictEqual(before, overrides))) {
      this.unfinished = [];
      return 0;
    }
    this.unfinished.push(overrides);
    this.fullCheckUnfinished = fullCheck;
    const changed = fullCheck ? () => true : priceChangeTest(stored, overrides);
    const calls = this.store.usageCalls().filter((call) => changed(call.model));
    let done = 0;
    for (let i = 0; i < calls.length; i += CHUNK) {
      const chunk = calls.slice(i, i + CHUNK);
      const stores = await Promise.all(chunk.map((call) => this.pipeline.reindex(call.traceId, call.spanId, sameCost(call))));
      done += stores.filter(Boolean).length;
      if (generation !== this.generation) return done;
      onProgress?.(Math.min(i + CHUNK, calls.length), calls.length);
      await new Promise((resolve) => setImmediate(resolve));
      if (generation !== this.generation) return done;
    }
    this.unfinished = [];
    this.fullCheckUnfinished = false;
    const pricedWith = { overrides, table: PRICE_TABLE_DIGEST };
    if (!isDeepStrictEqual(basis, pricedWith)) {
      await this.store.state.update((state) => {
        state.pricedWith = pricedWith;
      });
    }
    return done;
  }

  /** Stops a re-pricing in progress (the store is closing); the next start catches up. */
  dispose(): void {
    this.generation++;
  }
}

/** A call derived again keeps its stored version when its cost came out the same (nothing to write). */
function sameCost(call: StoredUsageCall): (fields: IndexFields) => boolean {
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
