// One POST of an export to the upstream, with Node's http/https over keep-alive connections. Not
// fetch: measured posting 1 MB exports to a local upstream, fetch (undici) took 3.5–3.8 ms of CPU per
// export on Node 20 and 6.7–8.7 ms on Node 24, against 0.5–0.7 ms for http.request on both, and
// forwarding runs on the extension host's main thread.
import http from 'node:http';
import https from 'node:https';

export interface PostAnswer {
  status: number;
  contentType: string | undefined;
  retryAfter: string | undefined;
  /** The body, when the status is an error (its first 64 KiB); '' otherwise. */
  text: string;
}

const MAX_ERROR_BODY = 64 * 1024;

/** Keep-alive connections to one upstream, for postExport; destroy() closes them. */
export class UpstreamAgents {
  readonly http = new http.Agent({ keepAlive: true });
  readonly https = new https.Agent({ keepAlive: true });

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** Rejects with the socket's error (its `code`: ECONNREFUSED, ENOTFOUND…) or with the signal's reason. */
export function postExport(url: string, headers: Readonly<Record<string, string>>, body: Uint8Array, agents: UpstreamAgents, signal: AbortSignal): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith('https:');
    const request = (secure ? https : http).request(
      url,
      { method: 'POST', agent: secure ? agents.https : agents.http, headers: { ...headers, 'content-length': String(body.byteLength) }, signal },
      (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let length = 0;
        response.on('data', (chunk: Buffer) => {
          // Read to the end either way, so the connection is reused; keep only what a message needs.
          if (status >= 300 && length < MAX_ERROR_BODY) chunks.push(chunk);
          length += chunk.length;
        });
        response.on('end', () =>
          resolve({
            status,
            contentType: response.headers['content-type'],
            retryAfter: response.headers['retry-after'],
            text: Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', (err: NodeJS.ErrnoException) => {
      // A kept-alive connection the upstream had just closed (idle timeout): Node's documented remedy is
      // to send again on a new one. Not the upstream's trouble, so not the user's either.
      if (request.reusedSocket && err.code === 'ECONNRESET' && !signal.aborted) resolve(postExport(url, headers, body, agents, signal));
      else reject(err);
    });
    request.end(body);
  });
}
