// What refreshing the stored index costs (src/ingest/indexRefresh.ts), on a store filled with the ingest
// benchmark's exports: at open after an update that changed the indexing (every span derived again) or
// the price table (every model call with usage), and for an override that changes one model's price.
//   node --import tsx bench/indexRefresh.ts [--exports 200]   (512 spans each)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanlightEngine } from '../src/engine';
import { buildRequest } from './ingestPayloads';

const argv = process.argv.slice(2);
const exportsAt = argv.indexOf('--exports');
const EXPORTS = exportsAt >= 0 ? Number(argv[exportsAt + 1]) : 200;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spanlight-bench-refresh-'));
  const open = () => SpanlightEngine.open({ storeDir: dir, version: 'bench', maxSpans: 10_000_000, maxBytes: 64 * 1024 ** 3, onError: (err) => console.error(err.message) });
  const statePath = join(dir, 'state.json');
  /** Reopens as after an update that changed what `change` names; resolves with the refresh's ms and count. */
  const reopenAfter = async (change: object): Promise<[number, number, SpanlightEngine]> => {
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { indexedWith: object };
    writeFileSync(statePath, JSON.stringify({ ...state, indexedWith: { ...state.indexedWith, ...change } }));
    const engine = await open();
    const t0 = performance.now();
    const stored = await engine.refreshed;
    return [performance.now() - t0, stored, engine];
  };
  try {
    let engine = await open();
    for (let i = 0; i < EXPORTS; i++) await engine.pipeline.acceptTracesProtobuf(buildRequest(i));
    await engine.store.flush();
    const spans = engine.store.stats().spans;
    const calls = engine.store.usageCalls().length;
    await engine.close();

    const [indexingMs, indexingStored, afterIndexing] = await reopenAfter({ derivation: 0 });
    await afterIndexing.close();
    const [tableMs, tableStored, afterTable] = await reopenAfter({ table: 'another table' });
    engine = afterTable;
    const t0 = performance.now();
    const overrideStored = await engine.setPriceOverrides({ 'gpt-4o-mini': { input: 0.2, output: 0.8 } });
    await engine.store.flush();
    const overrideMs = performance.now() - t0;
    await engine.close();

    console.log(`Index refresh — ${spans.toLocaleString('en-US')} stored spans, ${calls.toLocaleString('en-US')} model calls with usage, node ${process.version}`);
    console.log(`  new indexing, every span derived again at open: ${indexingMs.toFixed(0)} ms, ${indexingStored} stored again`);
    console.log(`  new price table, every call derived again at open: ${tableMs.toFixed(0)} ms, ${tableStored} stored again`);
    console.log(`  override for one model (gpt-4o-mini): ${overrideMs.toFixed(0)} ms, ${overrideStored} stored again (with their disk writes)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
