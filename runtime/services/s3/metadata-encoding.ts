/**
 * User metadata (x-amz-meta-*) beyond US-ASCII, as S3 handles it (S3 user guide, "Working
 * with object metadata": values are decoded as per RFC 2047 before they are stored, and
 * encoded as per RFC 2047 before they are returned, so that headers stay mail-safe):
 *
 *  - on the way in, a value that is RFC 2047 encoded-words (`=?UTF-8?B?...?=`, `=?UTF-8?Q?...?=`)
 *    is stored decoded; raw UTF-8 bytes in a header (which Node hands over as ISO-8859-1
 *    characters) are stored as the text they encode;
 *  - on the way out, a value of safe characters only is returned as it is; one with a control
 *    or replacement character is returned base64 encoded (`=?UTF-8?B?...?=`); any other is
 *    returned Q-encoded (`=?UTF-8?Q?...?=`), with S3's set of characters left as they are
 *    (which, unlike the e-mail one, does not include `_`, `=` or `?`).
 *
 * A value that cannot be returned otherwise would not fit an HTTP header at all.
 */
import { record } from '../../state/store.js';

/** Bytes a Q-encoded value keeps as they are (space becomes `_`). */
const SAFE = new Set(Buffer.from("!\"#$%&'()*+,-./0123456789:;<>@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^`abcdefghijklmnopqrstuvwxyz{|}~\t", 'latin1'));
/** Bytes of a value returned as it is. */
const UNENCODED = new Set([...SAFE, ...Buffer.from(' _=?', 'latin1')]);

const ENCODED_WORD = /^=\?([^?]+)\?([BbQq])\?([^?]*)\?=$/;
const CHARSETS: Record<string, BufferEncoding> = { 'utf-8': 'utf8', utf8: 'utf8', 'us-ascii': 'latin1', 'iso-8859-1': 'latin1', latin1: 'latin1' };

function decodeWord(word: string): string | undefined {
  const m = ENCODED_WORD.exec(word);
  if (!m) return undefined;
  const charset = CHARSETS[m[1]!.toLowerCase()];
  if (!charset) return undefined;
  const text = m[3]!;
  let bytes: Buffer;
  if (m[2]!.toUpperCase() === 'B') {
    bytes = Buffer.from(text, 'base64');
  } else {
    const out: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      const hex = c === '=' ? /^[0-9A-Fa-f]{2}$/.exec(text.slice(i + 1, i + 3)) : null;
      if (hex) {
        out.push(parseInt(hex[0], 16));
        i += 2;
      } else out.push(c === '_' ? 0x20 : c.charCodeAt(0) & 0xff);
    }
    bytes = Buffer.from(out);
  }
  return bytes.toString(charset);
}

/** A metadata value as S3 stores it (see the module header). */
export function decodeMetadataValue(value: string): string {
  const words = value.trim().split(/\s+/);
  if (words.length > 0 && words.every((w) => ENCODED_WORD.test(w))) {
    const decoded = words.map(decodeWord);
    if (decoded.every((d) => d !== undefined)) return decoded.join('');
  }
  if (/[\u0080-\u00ff]/.test(value)) {
    const text = Buffer.from(value, 'latin1').toString('utf8');
    if (!text.includes('\uFFFD')) return text;
  }
  return value;
}

/** A stored metadata value as S3 returns it in a header (see the module header). */
export function encodeMetadataValue(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.every((b) => UNENCODED.has(b))) return value;
  if (/[\p{C}\uFFFD]/u.test(value)) return `=?UTF-8?B?${bytes.toString('base64')}?=`;
  let text = '';
  for (const b of bytes) text += b === 0x20 ? '_' : SAFE.has(b) ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return `=?UTF-8?Q?${text}?=`;
}

/** Every value of a metadata map, mapped. */
export function mapMetadata(metadata: Record<string, string>, f: (value: string) => string): Record<string, string> {
  const out = record<string>();
  for (const [k, v] of Object.entries(metadata)) out[k] = f(v);
  return out;
}
