// Counts items a decoder could not read and keeps the first few reasons: OTLP's partial_success carries
// one error_message for the whole request, so a batch of 10k bad spans must not build a 10k-line string.

const MAX_MESSAGES = 5;

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
