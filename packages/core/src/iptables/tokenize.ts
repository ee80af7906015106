/**
 * Splits one rule line into words the way iptables-restore does: whitespace separates words,
 * double quotes group words (and may sit inside a word: `a"b c"d` is `ab cd`), a backslash
 * takes the next character literally. Hand-written scanner: dumps can have hundreds of
 * thousands of lines and regular expressions would dominate the parse time.
 */
export interface RuleTokens {
  words: string[];
  /** Indices of the words that were (partly) quoted or escaped: those are never option names. Null when none. */
  quoted: number[] | null;
  /** Set when a quote is left open at the end of the line. */
  unterminatedQuote: boolean;
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;

export function tokenizeRule(line: string, from = 0, to = line.length): RuleTokens {
  return tokenizeRuleInto({ words: [], quoted: null, unterminatedQuote: false }, line, from, to);
}

/**
 * `tokenizeRule` into a reused result (its arrays are overwritten): the parser calls this once
 * per line and copies what it keeps, which spares the garbage collector on big dumps.
 */
export function tokenizeRuleInto(out: RuleTokens, line: string, from = 0, to = line.length): RuleTokens {
  const words = out.words;
  words.length = 0;
  let quoted: number[] | null = null;
  let i = from;
  let inQuote = false;
  while (i < to) {
    let c = line.charCodeAt(i);
    while (i < to && (c === SPACE || c === TAB || c === CR)) c = line.charCodeAt(++i);
    if (i >= to) break;
    // Fast path: a plain word with no quote or backslash is one substring.
    const start = i;
    while (i < to && c !== SPACE && c !== TAB && c !== CR && c !== QUOTE && c !== BACKSLASH)
      c = line.charCodeAt(++i);
    if (i >= to || c === SPACE || c === TAB || c === CR) {
      words.push(line.slice(start, i));
      continue;
    }
    // Slow path: build the word piece by piece.
    let word = line.slice(start, i);
    while (i < to) {
      c = line.charCodeAt(i);
      if (c === QUOTE) {
        inQuote = !inQuote;
        i++;
      } else if (c === BACKSLASH && i + 1 < to) {
        word += line[i + 1];
        i += 2;
      } else if (!inQuote && (c === SPACE || c === TAB || c === CR)) {
        break;
      } else {
        let j = i + 1;
        while (j < to) {
          const d = line.charCodeAt(j);
          if (d === QUOTE || d === BACKSLASH || (!inQuote && (d === SPACE || d === TAB || d === CR))) break;
          j++;
        }
        word += line.slice(i, j);
        i = j;
      }
    }
    (quoted ??= []).push(words.length);
    words.push(word);
  }
  out.quoted = quoted;
  out.unterminatedQuote = inQuote;
  return out;
}

/** Whether word `k` was written plainly (not quoted or escaped). */
export function isPlainWord(tokens: RuleTokens, k: number): boolean {
  return tokens.quoted === null || !tokens.quoted.includes(k);
}

/** Whether an unquoted word names an option: `-x` or `--word` (not `->`, `-1`, `--`). */
export function isOptionWord(word: string): boolean {
  if (word.length < 2 || word.charCodeAt(0) !== 45) return false;
  let c = word.charCodeAt(1);
  if (c === 45) {
    if (word.length < 3) return false;
    c = word.charCodeAt(2);
  }
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Quotes a word for iptables-save style output when it needs it (also `!` and option-like words, which would otherwise be read as syntax). */
export function quoteWord(word: string): string {
  let plain = word.length > 0 && word !== '!' && !isOptionWord(word);
  for (let i = 0; plain && i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c === SPACE || c === TAB || c === QUOTE || c === BACKSLASH || c === 39 || c < 32) {
      plain = false;
      break;
    }
  }
  if (plain) return word;
  return '"' + word.replace(/["\\]/g, (m) => '\\' + m) + '"';
}
