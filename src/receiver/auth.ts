// Bearer-token check shared by the HTTP and gRPC receivers.
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Whether an `Authorization` header value carries `token`. Digests are compared in constant time
 * (equal lengths whatever the input) so response timing does not leak the token byte by byte.
 */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const match = /^Bearer[ \t]+(.+)$/i.exec(header.trim());
  if (!match) return false;
  return timingSafeEqual(digest(match[1]), digest(token));
}
