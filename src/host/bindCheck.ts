// What `spanlight.receiver.host` names, found out before the receiver binds to it: the receivers refuse
// an address beyond loopback without a token, and fail on a name that does not resolve, each transport
// on its own and in words meant for every front end. Asked once here, the window says it once, with what
// is true of this host (a wildcard, another machine's address, a name nobody knows) and the fix in VS Code.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isLoopbackHost, normalizeHost } from '../receiver/bindAddress';

export type BindHostKind =
  /** 127.0.0.1, ::1, localhost: this machine only. */
  | 'loopback'
  /** 0.0.0.0, ::, or an address or name of a network interface: other machines can connect. */
  | 'network'
  /** A name that resolves to loopback only, which the receivers still refuse without a token (they judge the name). */
  | 'loopback-alias'
  /** A name DNS and the hosts file do not know (a typo such as "localhots"). */
  | 'unresolved';

export async function bindHostKind(host: string): Promise<BindHostKind> {
  const h = normalizeHost(host);
  if (isLoopbackHost(h)) return 'loopback';
  if (h === '' || isIP(h) !== 0) return 'network';
  try {
    const addresses = await lookup(h, { all: true });
    return addresses.every((a) => isLoopbackHost(a.address)) ? 'loopback-alias' : 'network';
  } catch {
    return 'unresolved';
  }
}

/**
 * What the user is told before the receiver starts, once for both transports; undefined when the host
 * is fine (loopback, or beyond it with a token: then the status bar shows that it is reachable).
 * `quotedHost` is the setting's value made safe for a notification.
 */
export function bindHostProblem(kind: BindHostKind, quotedHost: string, hasToken: boolean): string | undefined {
  switch (kind) {
    case 'unresolved':
      return `Spanlight cannot start its receiver on "${quotedHost}" (spanlight.receiver.host): no address is known for that name. Did you mean localhost? 127.0.0.1 keeps the receiver on this machine.`;
    case 'loopback-alias':
      return hasToken
        ? undefined
        : `Spanlight did not start its receiver on "${quotedHost}" (spanlight.receiver.host): it names this machine, but only 127.0.0.1, ::1 and localhost are taken as this machine without an auth token. Use one of those, or set an auth token.`;
    case 'network':
      return hasToken
        ? undefined
        : `Spanlight did not start its receiver on "${quotedHost}" (spanlight.receiver.host): that address is reachable from other machines, which could send traces to it and read them back. Set an auth token that exporters must send, or use 127.0.0.1.`;
    default:
      return undefined;
  }
}
