// Substring search over many short texts (each Service's or pod's names, IPs, ports). The texts
// are joined into one string so that a query is a few `indexOf` scans of it (the engine's fast
// string search) instead of one `includes` per entry: on 10,000 entries a query touches only the
// entries that contain its longest term.

/** A search box's text as terms: lower-case, split on whitespace, every one must match. */
export function searchTerms(q: string | undefined): string[] {
  return (q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t !== '');
}

/** Separates entries in the joined text; no search text contains it, and terms cannot either. */
const SEPARATOR = '\n';

export class TextSearch {
  readonly #text: string;
  /** Offset of each entry in the joined text, plus one past the end. */
  readonly #starts: Int32Array;
  readonly #entries: readonly string[];

  /** `entries` are lower-case search texts, one per listed object, in list order. */
  constructor(entries: readonly string[]) {
    this.#entries = entries.map((e) => e.replaceAll(SEPARATOR, ' '));
    this.#starts = new Int32Array(this.#entries.length + 1);
    let offset = 0;
    this.#entries.forEach((e, i) => {
      this.#starts[i] = offset;
      offset += e.length + SEPARATOR.length;
    });
    this.#starts[this.#entries.length] = offset;
    this.#text = this.#entries.join(SEPARATOR) + SEPARATOR;
  }

  get size(): number {
    return this.#entries.length;
  }

  /**
   * Indexes (ascending) of the entries in [from, to) that contain every term. Terms are lower-case,
   * non-empty and free of whitespace (the query splits on it). With no terms every index matches.
   */
  matching(terms: readonly string[], from = 0, to = this.#entries.length): number[] {
    const out: number[] = [];
    if (terms.length === 0) {
      for (let i = from; i < to; i++) out.push(i);
      return out;
    }
    // The longest term is usually the most selective one to scan for; the others are checked per hit.
    const seed = terms.reduce((a, b) => (b.length > a.length ? b : a));
    const others = terms.filter((t) => t !== seed);
    const end = this.#starts[to] ?? this.#text.length;
    let pos = this.#text.indexOf(seed, this.#starts[from] ?? 0);
    while (pos >= 0 && pos < end) {
      const i = this.#entryAt(pos);
      const entry = this.#entries[i] ?? '';
      if (others.every((t) => entry.includes(t))) out.push(i);
      pos = this.#text.indexOf(seed, this.#starts[i + 1] ?? this.#text.length);
    }
    return out;
  }

  /** The entry whose text holds offset `pos` (binary search over the start offsets). */
  #entryAt(pos: number): number {
    let lo = 0;
    let hi = this.#entries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.#starts[mid] ?? 0) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
