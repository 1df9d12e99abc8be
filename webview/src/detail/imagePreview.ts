// Which captured images the span detail shows as a picture: inline ones only (base64 or a data: URI that
// the normalizer kept whole), in a raster format. An <img> of those runs nothing and loads nothing else,
// and the CSP allows data: images and nothing remote: a trace never makes the editor fetch a URL.
// (No DOM here, so the choice is unit-tested apart from the page.)
import type { MessagePart } from '../../../src/protocol/model';

/** Raster formats only: an SVG is a document (harmless in an <img>, but it is text to read, not a picture). */
const RASTER_MIME = /^image\/(png|jpeg|jpg|gif|webp|avif|bmp)$/i;
/** Standard base64, as a data: URI needs it; anything else (a truncation marker, a URL-safe alphabet) is not shown. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DATA_URI_HEAD = /^data:([^;,]+)((?:;[^;,=]+=[^;,]*)*);base64,/i;

/** A data: URI of the part's image, or undefined when it is no whole inline raster image. */
export function imagePreviewSource(part: MessagePart): string | undefined {
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
  if (!mimeType || !RASTER_MIME.test(mimeType) || payload.length % 4 === 1 || !BASE64.test(payload)) return undefined;
  return `data:${mimeType.toLowerCase()};base64,${payload}`;
}
