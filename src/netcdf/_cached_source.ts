// Private: a read-ahead, bounded cache in front of a ranged reader (a file
// read by position, an HTTP server answering Range requests). Small reads
// are served from cached extents; a miss fetches at least `block` bytes and,
// while the misses run forward through the file (a record variable read one
// record at a time), each fetch doubles up to `maxAhead`, so a record
// variable costs a handful of reads, not one per record. Reads of at least
// `direct` bytes skip the cache. Cached extents are evicted oldest-used
// first beyond `maxCache` bytes.

/** Reads the bytes `[start, end)`, all of them (into `into` when given and supported). */
export type RangeRead = (start: number, end: number, into?: Uint8Array) => Promise<Uint8Array>;

/** Tuning of a {@linkcode CachedSource}. */
export interface CacheOptions {
  /** Smallest fetch on a miss (bytes). */
  block: number;
  /** Largest fetch a run of forward misses grows to (bytes). */
  maxAhead: number;
  /** Reads this long or longer go straight to the reader, uncached. */
  direct: number;
  /** Bound on the bytes held in cached extents. */
  maxCache: number;
  /** Ranges handed to `prefetch` at most this far apart are fetched in one request. */
  gap?: number;
}

interface Extent {
  start: number;
  end: number;
  bytes: Promise<Uint8Array>;
}

/** A `{ byteLength, slice }` source over a ranged reader with read-ahead. */
export class CachedSource {
  readonly byteLength: number;
  readonly #read: RangeRead;
  readonly #o: CacheOptions;
  /** Extents, least recently used first (Map keeps insertion order). */
  readonly #extents = new Map<number, Extent>();
  #held = 0;
  #last: Extent | undefined;
  /** End of the previous miss's fetch and the size of the next one. */
  #missEnd = -1;
  #ahead: number;

  constructor(byteLength: number, read: RangeRead, options: CacheOptions) {
    this.byteLength = byteLength;
    this.#read = read;
    this.#o = options;
    this.#ahead = options.block;
  }

  /** The bytes `[start, end)` (a view into the cache: do not modify). */
  slice(start: number, end: number): Promise<Uint8Array> | Uint8Array {
    end = Math.min(end, this.byteLength);
    if (end <= start) return new Uint8Array(0);
    const last = this.#last;
    if (last && last.start <= start && end <= last.end) return this.#view(last, start, end);
    if (end - start >= this.#o.direct) return this.#read(start, end);
    for (const e of this.#extents.values()) {
      if (e.start <= start && end <= e.end) {
        this.#touch(e);
        return this.#view(e, start, end);
      }
    }
    // Cover [start, end) with cached extents, fetching the gaps between them.
    const pieces: { e: Extent; a: number; b: number }[] = [];
    let first = true;
    for (let pos = start; pos < end;) {
      let hit: Extent | undefined;
      let next = this.byteLength;
      for (const e of this.#extents.values()) {
        if (e.start <= pos && pos < e.end && (!hit || e.end > hit.end)) hit = e;
        else if (e.start > pos && e.start < next) next = e.start;
      }
      if (!hit) {
        if (first) {
          // A run of misses going forward through the file reads ever further ahead.
          const forward = this.#missEnd >= 0 && pos >= this.#missEnd &&
            pos - this.#missEnd <= this.#o.block;
          this.#ahead = forward ? Math.min(this.#o.maxAhead, this.#ahead * 2) : this.#o.block;
        }
        // Read ahead up to the next cached extent, at least to the gap's end.
        const to = Math.min(
          this.byteLength,
          Math.max(Math.min(end, next), Math.min(pos + this.#ahead, next)),
        );
        hit = this.#add(pos, to);
        this.#missEnd = to;
      } else this.#touch(hit);
      first = false;
      const b = Math.min(end, hit.end);
      pieces.push({ e: hit, a: pos, b });
      pos = b;
    }
    if (pieces.length === 1) return this.#view(pieces[0].e, start, end);
    return Promise.all(pieces.map((p) => p.e.bytes)).then((bs) => {
      const out = new Uint8Array(end - start);
      pieces.forEach((p, i) =>
        out.set(bs[i].subarray(p.a - p.e.start, p.b - p.e.start), p.a - start)
      );
      return out;
    });
  }

  /** Reads `[start, start + dst.byteLength)` into `dst`; long reads go straight there. */
  async readInto(start: number, dst: Uint8Array): Promise<void> {
    const end = start + dst.byteLength;
    if (dst.byteLength >= this.#o.direct && end <= this.byteLength) {
      const b = await this.#read(start, end, dst);
      if (b !== dst) dst.set(b);
      return;
    }
    dst.set(await this.slice(start, end));
  }

  /**
   * Starts fetching ranges a read will ask for next: ranges at most `gap`
   * apart are merged (up to a quarter of the cache bound a request) and the requests
   * go out at once; cached ranges and ranges read directly are skipped;
   * at most half the cache bound is fetched ahead (the rest is read when
   * asked for).
   */
  prefetch(ranges: readonly (readonly [number, number])[]): void {
    const gap = this.#o.gap ?? this.#o.block;
    const todo = ranges
      .filter(([a, b]) => b > a && b - a < this.#o.direct && !this.#covered(a, b))
      .sort((x, y) => x[0] - y[0]);
    let budget = this.#o.maxCache / 2;
    let cur: [number, number] | undefined;
    const flush = () => {
      if (!cur) return;
      this.#add(cur[0], cur[1]);
      budget -= cur[1] - cur[0];
      cur = undefined;
    };
    for (const [a, b] of todo) {
      if (cur && a - cur[1] <= gap && Math.max(cur[1], b) - cur[0] <= this.#o.maxCache / 4) {
        cur[1] = Math.max(cur[1], b);
        continue;
      }
      flush();
      if (budget <= 0) return;
      cur = [a, b];
    }
    flush();
  }

  #covered(start: number, end: number): boolean {
    for (const e of this.#extents.values()) if (e.start <= start && end <= e.end) return true;
    return false;
  }

  /** Caches bytes already read (at `start`). */
  prime(start: number, bytes: Uint8Array): void {
    const e: Extent = {
      start,
      end: start + bytes.byteLength,
      bytes: Promise.resolve(bytes),
    };
    this.#extents.set(start, e);
    this.#held += bytes.byteLength;
    this.#missEnd = e.end;
  }

  #view(e: Extent, start: number, end: number): Promise<Uint8Array> {
    this.#last = e;
    return e.bytes.then((b) => b.subarray(start - e.start, end - e.start));
  }

  #touch(e: Extent): void {
    this.#extents.delete(e.start);
    this.#extents.set(e.start, e);
  }

  #add(start: number, end: number): Extent {
    const e: Extent = { start, end, bytes: this.#read(start, end) };
    // A failed fetch is not kept: the next read tries again.
    e.bytes.catch(() => this.#drop(e));
    const old = this.#extents.get(start);
    if (old) this.#drop(old);
    this.#extents.set(start, e);
    this.#held += end - start;
    for (const [, x] of this.#extents) {
      if (this.#held <= this.#o.maxCache || x === e) break;
      this.#drop(x);
    }
    return e;
  }

  #drop(e: Extent): void {
    if (this.#extents.get(e.start) !== e) return;
    this.#extents.delete(e.start);
    this.#held -= e.end - e.start;
    if (this.#last === e) this.#last = undefined;
  }

  /** Bytes currently held in the cache. */
  get held(): number {
    return this.#held;
  }
}
