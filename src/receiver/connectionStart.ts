// What the first bytes of a connection say about the client, so a port can tell an exporter set up for the
// other transport (or for TLS) from one it can serve: gRPC runs over HTTP/2, OTLP/HTTP over HTTP/1.1.

/** What every HTTP/2 connection starts with (RFC 9113, 3.4). */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** The methods an OTLP/HTTP exporter (or a curious browser) opens an HTTP/1.x request with. */
const HTTP1_REQUEST = /^(?:POST|GET|PUT|HEAD|OPTIONS|PATCH|DELETE) /;

/** The HTTP/2 preface, or as much of it as arrived. */
export function startsLikeHttp2(first: Uint8Array): boolean {
  const n = Math.min(first.length, HTTP2_PREFACE.length);
  return n > 0 && HTTP2_PREFACE.subarray(0, n).equals(first.subarray(0, n));
}

/** An HTTP/1.x request line, and not the HTTP/2 preface (whose "PRI" is no method an exporter sends). */
export function startsLikeHttp1(first: Uint8Array): boolean {
  return !startsLikeHttp2(first) && HTTP1_REQUEST.test(Buffer.from(first.buffer, first.byteOffset, Math.min(first.length, 8)).toString('latin1'));
}

/** A TLS handshake record (content type 22, protocol major version 3): the start of every TLS connection. */
export function startsLikeTls(first: Uint8Array): boolean {
  return first.length >= 2 && first[0] === 0x16 && first[1] === 0x03;
}
