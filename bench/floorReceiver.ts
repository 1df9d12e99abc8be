// The transport floor for bench/ingest.ts: a receiver that does only what no OTLP receiver can avoid.
// It reads each request over HTTP, appends its bytes to a file and answers 200, without decoding
// anything. The same sender runs against it, so its CPU per request (and the sender's) is what the
// loopback, the HTTP parsing and the disk cost on this machine. Whatever the 2 cores have left within
// the ratio target is the budget for decoding, indexing and storing.
// With --decode it also decodes each request with the bare protobuf decode (the ratio's denominator) on
// a worker thread (bench/floorDecodeWorker.ts) before answering, and keeps nothing of it: the decode
// floor, the most a receiver that decodes what it receives could reach on this machine, before
// normalizing, indexing or storing a single field.
// Run by bench/ingest.ts like the CLI: `node --import tsx bench/floorReceiver.ts serve --port 0 --store DIR [--decode]`.
// It prints the CLI's startup lines and answers GET /api/health with the spans it has received. Its
// gRPC port does the same for TraceService/Export calls (`--grpc` of the bench).
import * as grpc from '@grpc/grpc-js';
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { traceServiceDefinition } from '../src/receiver/grpcReceiver';

/** Requests carry this many spans (the bench's payloads): the floor counts requests, never decodes them. */
const SPANS_PER_REQUEST = Number(process.env.SPANLIGHT_FLOOR_SPANS_PER_REQUEST ?? 512);

const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

export interface FloorReceiver {
  port: number;
  grpcPort: number;
  /** Stops serving; resolves once the file holds every byte received. */
  stop(): Promise<void>;
}

export function startFloorReceiver(storeDir: string, port: number, decode: boolean): Promise<FloorReceiver> {
  const file = createWriteStream(join(storeDir, 'floor.bin'), { flags: 'a' });
  let spans = 0;
  const decoder = decode ? startDecoder() : undefined;
  const received = async (body: Buffer): Promise<void> => {
    await decoder?.decode(body);
    // One buffer and one write per request, as Spanlight's store writes a request's records.
    file.write(body);
    spans += SPANS_PER_REQUEST;
  };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/api/health') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, spans }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void received(Buffer.concat(chunks)).then(() => {
        res.setHeader('content-type', 'application/x-protobuf');
        res.end();
      });
    });
  });
  const grpcServer = new grpc.Server({ 'grpc.max_receive_message_length': -1 });
  // The receiver's own service definition: requests stay the bytes that arrived.
  grpcServer.addService(traceServiceDefinition, {
    Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      void received(call.request).then(() => callback(null, Buffer.alloc(0)));
    },
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      grpcServer.forceShutdown();
      server.closeAllConnections();
      server.close(() => file.end(() => void (decoder?.stop() ?? Promise.resolve()).then(() => resolve())));
    });
  const grpcPort = new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  return new Promise((resolve, reject) => {
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      grpcPort.then((bound) => resolve({ port: typeof address === 'object' && address ? address.port : 0, grpcPort: bound, stop }), reject);
    });
  });
}

/** The decode floor's worker. Each request's bytes are copied to it (Spanlight's receiver shares or transfers them: a little more than it pays). */
function startDecoder() {
  const worker = __filename.endsWith('.ts')
    ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(join(__dirname, 'floorDecodeWorker.ts'))});`, { eval: true })
    : new Worker(join(__dirname, 'floorDecodeWorker.js'));
  const waiting = new Map<number, () => void>();
  let next = 0;
  worker.on('message', (id: number) => {
    waiting.get(id)?.();
    waiting.delete(id);
  });
  return {
    decode: (body: Uint8Array) =>
      new Promise<void>((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        worker.postMessage({ id, body });
      }),
    stop: () => worker.terminate(),
  };
}

if (process.argv[2] === 'serve') {
  void startFloorReceiver(argValue('--store') ?? '.', Number(argValue('--port') ?? 0), process.argv.includes('--decode')).then((floor) => {
    console.log(`floor receiver: OTLP/HTTP and JSON API on http://127.0.0.1:${floor.port}`);
    console.log(`floor receiver: OTLP/gRPC on 127.0.0.1:${floor.grpcPort}`);
    process.on('SIGINT', () => void floor.stop().then(() => process.exit(0)));
  });
}
