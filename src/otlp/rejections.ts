// Counts items a decoder could not read and keeps the first few reasons: OTLP's partial_success carries
// one error_message for the whole request, so a batch of 10k bad spans must not build a 10k-line string.

const MAX_MESSAGES = 5;
/** A span's name quoted in a reason: names come from the wire, and one of megabytes would make the answer as big. */
const MAX_QUOTED_NAME_CHARS = 120;

/** A span as a reason names it: `span "<name, cut short>"`. */
export function quotedSpan(name: string): string {
  return `span "${name.length > MAX_QUOTED_NAME_CHARS ? `${name.slice(0, MAX_QUOTED_NAME_CHARS)}…` : name}"`;
}

/** Why a span without valid ids was rejected (`field`: the missing or invalid id, as the encoding names it). */
export function invalidIdsReason(name: string, field: string): string {
  return `${quotedSpan(name)} has an invalid or missing ${field}`;
}

/** The reasons of two decoders' logs for one request (a transcoder's, then the decoder's), within the same bound. */
export function joinedReasons(first: readonly string[], then: readonly string[]): string[] {
  return [...first, ...then].slice(0, MAX_MESSAGES);
}

export class RejectionLog {
  count = 0;
  readonly messages: string[] = [];

  add(reason: string): void {
    this.count++;
    if (this.messages.length < MAX_MESSAGES) this.messages.push(reason);
  }
}
