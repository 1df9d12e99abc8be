// What re-pricing the stored model calls costs (src/ingest/repricing.ts), on a store filled with the
// ingest benchmark's exports: the check of every usage call that a new built-in price table starts at
// the next open, and an override that changes the price of one of the three models.
//   node --import tsx bench/repricing.ts [--exports 200]   (512 spans each)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanlightEngine } from '../src/engine';
import { buildRequest, SPANS_PER_REQUEST } from './ingestPayloads';

const argv = process.argv.slice(2);
const exportsAt = argv.indexOf('--exports');
const EXPORTS = exportsAt >= 0 ? Number(argv[exportsAt + 1]) : 200;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spanlight-bench-repricing-'));
  const open = () => SpanlightEngine.open({ storeDir: dir, version: 'bench', maxSpans: 10_000_000, maxBytes: 64 * 1024 ** 3, onError: (err) => console.error(err.message) });
  try {
    let engine = await open();
    for (let i = 0; i < EXPORTS; i++) await engine.pipeline.acceptTracesProtobuf(buildRequest(i));
    await engine.store.flush();
    const calls = engine.store.usageCalls().length;
    await engine.close();

    // As after an update whose price table differs from the one these costs were computed with.
    const statePath = join(dir, 'state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { pricedWith: object };
    writeFileSync(statePath, JSON.stringify({ ...state, pricedWith: { ...state.pricedWith, table: 'another table' } }));
    engine = await open();
    let t0 = performance.now();
    const storedAfterTable = await engine.priced;
    const tableMs = performance.now() - t0;

    t0 = performance.now();
    const storedAfterOverride = await engine.setPriceOverrides({ 'gpt-4o-mini': { input: 0.2, output: 0.8 } });
    await engine.store.flush();
    const overrideMs = performance.now() - t0;
    await engine.close();

    console.log(`Re-pricing — ${(EXPORTS * SPANS_PER_REQUEST).toLocaleString('en-US')} stored spans, ${calls.toLocaleString('en-US')} model calls with usage, node ${process.version}`);
    console.log(`  new price table, every call checked at open: ${tableMs.toFixed(0)} ms, ${storedAfterTable} stored again`);
    console.log(`  override for one model (gpt-4o-mini): ${overrideMs.toFixed(0)} ms, ${storedAfterOverride} stored again (with their disk writes)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
