/** A word of nft syntax. Quoted strings keep their content without the quotes. */
export interface NftToken {
  text: string;
  quoted: boolean;
}

const PUNCT = new Set(['{', '}', ',', ';']);

/**
 * Splits nft text into words. `{ } , ;` are words of their own; `:` is one when it stands alone
 * or ends a word (`0:`), but not inside addresses (`2001:db8::1`, `10.0.0.1:80`).
 */
export function tokenizeNft(text: string): { tokens: NftToken[]; unterminatedQuote: boolean } {
  const tokens: NftToken[] = [];
  let i = 0;
  let word = '';
  const flush = (): void => {
    if (word === '') return;
    if (word.length > 1 && word.endsWith(':') && !word.endsWith('::')) {
      tokens.push({ text: word.slice(0, -1), quoted: false }, { text: ':', quoted: false });
    } else {
      tokens.push({ text: word, quoted: false });
    }
    word = '';
  };
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') {
      flush();
      const end = text.indexOf('"', i + 1);
      if (end < 0) {
        tokens.push({ text: text.slice(i + 1), quoted: true });
        return { tokens, unterminatedQuote: true };
      }
      tokens.push({ text: text.slice(i + 1, end), quoted: true });
      i = end + 1;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      flush();
    } else if (PUNCT.has(c)) {
      flush();
      tokens.push({ text: c, quoted: false });
    } else {
      word += c;
    }
    i++;
  }
  flush();
  return { tokens, unterminatedQuote: false };
}

/** Index of the `}` closing the `{` at `open`, or -1. */
export function matchingBrace(tokens: readonly NftToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined || t.quoted) continue;
    if (t.text === '{') depth++;
    else if (t.text === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Seconds from an nft duration (`10800s`, `3h`, `1d2h3m4s`, `500ms`, plain number = seconds). */
export function parseNftDuration(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const re = /(\d+)(ms|d|h|m|s)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const n = Number(m[1]);
    const unit = m[2];
    total +=
      unit === 'd'
        ? n * 86400
        : unit === 'h'
          ? n * 3600
          : unit === 'm'
            ? n * 60
            : unit === 's'
              ? n
              : n / 1000;
    consumed = re.lastIndex;
  }
  return consumed === text.length && consumed > 0 ? total : null;
}
