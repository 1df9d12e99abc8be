// Which captured images are whole inline pictures: base64 or a data: URI that the normalizer kept whole,
// whose bytes reach their format's end, in a raster format. The span detail shows only those (an <img>
// of them runs nothing and loads nothing else, and the CSP allows data: images and nothing remote: a
// trace never makes the editor fetch a URL), and a replay sends only those: a provider refuses a cut
// picture, or answers about half of one. Pure, no DOM: the page and the host both use it.
import type { MessagePart } from './model';

/** Raster formats only: an SVG is a document (harmless in an <img>, but it is text to read, not a picture). */
const RASTER_MIME = /^image\/(png|jpeg|jpg|gif|webp|avif|bmp)$/i;
/** Standard base64, as a data: URI needs it; anything else (a truncation marker, a URL-safe alphabet) is not shown. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DATA_URI_HEAD = /^data:([^;,]+)((?:;[^;,=]+=[^;,]*)*);base64,/i;

/** A whole inline raster image: its type and its bytes as a data: URI. */
export interface InlineImage {
  mimeType: string;
  dataUri: string;
}

/**
 * The part's image as a data: URI, or undefined when it is no whole inline raster image. Its type is the
 * data URI's, else the part's, else what its first bytes say (a recorder that kept no type).
 */
export function wholeInlineImage(part: MessagePart): InlineImage | undefined {
  if (part.type !== 'image' || !part.data) return undefined;
  let mimeType = part.mimeType;
  let payload = part.data;
  const head = DATA_URI_HEAD.exec(payload);
  if (head) {
    mimeType = head[1];
    payload = payload.slice(head[0].length);
  } else if (payload.startsWith('data:')) return undefined; // not base64 (percent-encoded text)
  // Line breaks are common (Python's base64.encodebytes) and padding is optional: the browser's
  // decoder takes both; a length that no base64 has is damage.
  payload = payload.replace(/\s+/g, '');
  if (payload.length % 4 === 1 || !BASE64.test(payload)) return undefined;
  if (!mimeType) mimeType = sniffedType(payload);
  if (!mimeType || !RASTER_MIME.test(mimeType) || !endsWhole(payload)) return undefined;
  mimeType = mimeType.toLowerCase();
  return { mimeType, dataUri: `data:${mimeType};base64,${payload}` };
}

/** The raster type whose signature the bytes start with. */
function sniffedType(base64: string): string | undefined {
  const head = bytesOf(padded(base64.slice(0, 16)));
  const starts = (...magic: number[]) => magic.every((b, i) => head[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...head.slice(8, 12)) === 'WEBP') return 'image/webp';
  return undefined;
}

/**
 * Whether the image's bytes reach its format's end. A cut PNG or JPEG still decodes, as the part that
 * is there: Chromium draws half a picture and reports no error. Formats with no end mark to check pass.
 */
function endsWhole(base64: string): boolean {
  const whole = padded(base64);
  const head = bytesOf(whole.slice(0, 16));
  const tail = bytesOf(whole.slice(-16));
  const size = (whole.length / 4) * 3 - (whole.endsWith('==') ? 2 : whole.endsWith('=') ? 1 : 0);
  const starts = (...magic: number[]) => magic.every((b, i) => head[i] === b);
  const ends = (...mark: number[]) => mark.every((b, i) => tail[tail.length - mark.length + i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return ends(0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82); // IEND and its CRC
  // JPEG's end of image; some writers pad after it.
  if (starts(0xff, 0xd8, 0xff)) return tail.some((b, i) => b === 0xff && tail[i + 1] === 0xd9);
  if (starts(0x47, 0x49, 0x46, 0x38)) return ends(0x3b); // GIF's trailer
  // RIFF (WebP) and BMP say their own size.
  if (starts(0x52, 0x49, 0x46, 0x46)) return littleEndian(head, 4) + 8 === size;
  if (starts(0x42, 0x4d)) return littleEndian(head, 2) === size;
  return true;
}

/** Base64 with its padding, as atob needs it. */
function padded(base64: string): string {
  return base64 + '='.repeat((4 - (base64.length % 4)) % 4);
}

function bytesOf(base64: string): number[] {
  try {
    return Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    return [];
  }
}

function littleEndian(bytes: readonly number[], at: number): number {
  return ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16)) + (bytes[at + 3] ?? 0) * 2 ** 24;
}
