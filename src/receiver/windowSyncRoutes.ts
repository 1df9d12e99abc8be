// What other Spanlight windows need from the window that owns the store (issue: several windows):
// a live change stream and the few writes the sidebar offers (pin, delete, clear).
// Writes use PUT/DELETE on purpose: browsers must preflight those, and CORS is off, so a web page
// the user visits cannot forge them against localhost (a cross-site POST could be sent without asking).
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Event } from '../base/emitter';
import type { TraceChange } from '../protocol/model';
import { BadRequest, idParam, TRACE_ID } from './apiRoutes';

export interface TraceWriter {
  readonly onDidChangeTraces: Event<TraceChange>;
  setPinned(traceId: string, pinned: boolean): Promise<boolean>;
  deleteTrace(traceId: string): boolean;
  clear(): Promise<void>;
}

/** Server-sent events keep-alive: proxies and idle timers close silent connections. */
const HEARTBEAT_MS = 15_000;

export function createWindowSyncRouter(writer: TraceWriter): express.Router {
  const router = express.Router();

  router.get('/api/events', (req: Request, res: Response) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    res.write(': spanlight change stream\n\n');
    const subscription = writer.onDidChangeTraces((change) => {
      res.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(heartbeat);
      subscription.dispose();
    });
  });

  router.put('/api/traces/:traceId/pin', express.json({ limit: '1kb' }), async (req: Request, res: Response) => {
    const traceId = idParam(req.params.traceId, TRACE_ID, 'traceId');
    const pinned: unknown = (req.body as { pinned?: unknown } | undefined)?.pinned;
    if (typeof pinned !== 'boolean') throw new BadRequest('body must be {"pinned": true|false}');
    const found = await writer.setPinned(traceId, pinned);
    if (!found) res.status(404).json({ error: `Trace ${traceId} not found` });
    else res.json({ traceId, pinned });
  });

  router.delete('/api/traces/:traceId', (req: Request, res: Response) => {
    const traceId = idParam(req.params.traceId, TRACE_ID, 'traceId');
    if (!writer.deleteTrace(traceId)) res.status(404).json({ error: `Trace ${traceId} not found` });
    else res.status(204).end();
  });

  router.delete('/api/traces', async (_req: Request, res: Response) => {
    await writer.clear();
    res.status(204).end();
  });

  router.use('/api', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof BadRequest) res.status(400).json({ error: err.message });
    else if ((err as { type?: string }).type === 'entity.parse.failed') res.status(400).json({ error: 'body is not valid JSON' });
    else next(err);
  });
  return router;
}
