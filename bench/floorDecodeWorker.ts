// The decode floor's worker (bench/floorReceiver.ts --decode): runs the bare protobuf decode of each
// request it is handed, keeps nothing, and says when it is done. A thread of its own, so the floor
// receives the next request on its main thread meanwhile, as Spanlight's receiver indexes on its worker.
import { parentPort } from 'node:worker_threads';
import { decodeTracesProtobufBare } from '../src/otlp';

parentPort?.on('message', ({ id, body }: { id: number; body: Uint8Array }) => {
  decodeTracesProtobufBare(body);
  parentPort?.postMessage(id);
});
