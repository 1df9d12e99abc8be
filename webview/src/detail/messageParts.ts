// One typed message part → DOM. Media are chips with their type and URI as text: nothing is ever
// loaded (the CSP forbids remote images anyway, and a trace must not make the editor fetch URLs). An
// image captured inline, whole, is also shown as a picture (imagePreview.ts).
import { TRUNCATION_MARKER_PREFIX, type MessagePart, type ToolCall } from '../../../src/protocol/model';
import { codicon, el } from '../shared/dom';
import { prettyJson } from '../../../src/protocol/format';
import { wholeInlineImage } from '../../../src/protocol/inlineImage';
import { copyButton, longText, type Post } from './common';

const MEDIA_ICON: Readonly<Record<string, string>> = { image: 'file-media', audio: 'unmute', video: 'device-camera', file: 'file' };
const URI_CHARS = 200;
/** The largest an image is shown before it is shown larger (detail.css, .media-preview). */
const THUMBNAIL = { width: 320, height: 200 };

export function renderToolCall(call: ToolCall, post: Post): HTMLElement {
  const args = prettyJson(call.arguments);
  return el('div', { className: 'tool-call', testId: 'tool-call' }, [
    el('div', { className: 'part-head' }, [
      codicon('tools'),
      el('code', { className: 'tool-name', text: call.name || '(unnamed tool)' }),
      call.id ? el('span', { className: 'muted', text: call.id }) : '',
      copyButton(call.arguments, `arguments of ${call.name}`, post, 'copy-tool-arguments'),
    ]),
    longText(args, { className: 'json' }),
  ]);
}

function mediaChip(part: Extract<MessagePart, { type: 'image' | 'audio' | 'video' | 'file' }>): HTMLElement {
  const uri = part.uri ?? '';
  // A data: URI is the content itself: show what it is and how big, not a wall of base64.
  const shownUri = uri.startsWith('data:')
    ? `${uri.slice(0, uri.indexOf(',') + 1)}… (${uri.length.toLocaleString('en-US')} chars)`
    : uri.length > URI_CHARS
      ? `${uri.slice(0, URI_CHARS)}…`
      : uri;
  const chip = el('div', { className: 'media-chip', testId: 'media-chip', title: uri }, [
    codicon(MEDIA_ICON[part.type] ?? 'file'),
    el('strong', { text: part.type }),
    part.mimeType ? el('span', { className: 'muted', text: part.mimeType }) : '',
    part.name ? el('span', { text: part.name }) : '',
    shownUri ? el('code', { className: 'media-uri', text: shownUri }) : '',
    part.data ? el('span', { className: 'muted', text: inlineDataNote(part.data) }) : '',
  ]);
  chip.dataset.mediaType = part.type;
  return chip;
}

/** How much inline data there is; for data cut before it reached the view, its real size and why nothing more is shown. */
function inlineDataNote(data: string): string {
  const at = data.lastIndexOf(TRUNCATION_MARKER_PREFIX);
  const original = at >= 0 ? Number(data.slice(at + TRUNCATION_MARKER_PREFIX.length, -1)) : NaN;
  if (Number.isFinite(original)) return `inline data, ${original.toLocaleString('en-US')} chars: too long to keep whole here, no preview`;
  return `inline data, ${data.length.toLocaleString('en-US')} chars`;
}

/**
 * An image's chip, with the picture under it when it came inline and whole: a thumbnail that a click
 * (or Enter) shows at the width of the panel. An image that fits the thumbnail is just the picture (no
 * button, no Tab stop); one that does not decode (damaged data) leaves only the chip.
 */
function withImagePreview(part: Extract<MessagePart, { type: 'image' | 'audio' | 'video' | 'file' }>): HTMLElement {
  const chip = mediaChip(part);
  const source = wholeInlineImage(part)?.dataUri;
  if (!source) return chip;
  // One name, whatever the state (aria-expanded says that): what it is, its size once known.
  const what = [part.name ?? 'Image', part.mimeType].filter(Boolean).join(', ');
  const image = el('img', { className: 'media-preview', testId: 'media-preview', attrs: { alt: what, src: source } });
  const toggle = el('button', { className: 'media-preview-toggle', title: 'Show larger', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-label': what } }, [image]);
  const wrapper = el('div', { className: 'media-with-preview' }, [chip, toggle]);
  toggle.addEventListener('click', () => {
    const expand = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(expand));
    toggle.title = expand ? 'Show smaller' : 'Show larger';
    // Larger takes the gallery's whole row.
    wrapper.classList.toggle('expanded', expand);
  });
  image.addEventListener('error', () => toggle.remove(), { once: true });
  image.addEventListener(
    'load',
    () => {
      const described = `${what}, ${image.naturalWidth}×${image.naturalHeight}`;
      image.alt = described;
      toggle.setAttribute('aria-label', described);
      // Already shown at its own size: a picture, not a button.
      if (image.naturalWidth <= THUMBNAIL.width && image.naturalHeight <= THUMBNAIL.height) toggle.replaceWith(image);
    },
    { once: true },
  );
  return wrapper;
}

export function renderPart(part: MessagePart, post: Post): HTMLElement {
  switch (part.type) {
    case 'text':
      return longText(part.text, { className: 'message-text', testId: 'message-text' });
    case 'reasoning': {
      const details = el('details', { className: 'reasoning', testId: 'reasoning' }, [
        el('summary', {}, [codicon('lightbulb'), ` Reasoning (${part.text.length.toLocaleString('en-US')} characters)`]),
        longText(part.text, { className: 'message-text' }),
      ]);
      return details;
    }
    case 'tool_call':
      return renderToolCall({ id: part.id, name: part.name, arguments: part.arguments }, post);
    case 'tool_result':
      return el('div', { className: 'tool-result', testId: 'tool-result' }, [
        el('div', { className: 'part-head' }, [codicon('output'), el('span', { text: 'Tool result' }), part.id ? el('span', { className: 'muted', text: part.id }) : '']),
        longText(prettyJson(part.result), { className: 'json' }),
      ]);
    case 'image':
      return withImagePreview(part);
    case 'audio':
    case 'video':
    case 'file':
      return mediaChip(part);
    case 'other':
      return el('div', { className: 'other-part', testId: 'other-part' }, [longText(JSON.stringify(part.value, null, 2), { className: 'json' })]);
  }
}
