/**
 * The keys of a bucket in S3's listing order (UTF-8 bytes, compareKeys), kept beside the
 * state rather than in it: a WeakMap from the bucket to a sorted index, built on first use
 * from `bucket.objects` and kept up to date by commitVersion / removeVersion (state.ts),
 * the only places a key appears or disappears. A page of a listing is then a seek
 * (O(log n)) and a walk, never a sort of the whole bucket.
 *
 * The index is a list of sorted blocks of at most BLOCK keys (a two-level B-tree, without
 * the tree): an insert or a delete moves at most BLOCK keys and, when a block splits or
 * empties, the block list, so that writing a key costs O(log n + BLOCK + n / BLOCK) however
 * the keys arrive.
 *
 * The indexes are derived data, never part of the state (runtime/state): each provider
 * owns a KeyIndexes (S3Service.keys), which the provider clears whenever the runtime
 * replaces its state (reset, load, import: Provider.stateChanged), so that no index outlives
 * the tree it was built from. A replaced tree also gives new Bucket objects (or a new
 * `objects` record), for which an index is built again anyway.
 */
import { compareKeys } from './keys.js';

const BLOCK = 512;

export class SortedKeys {
  private blocks: string[][] = [];

  constructor(sorted: string[] = []) {
    for (let i = 0; i < sorted.length; i += BLOCK) this.blocks.push(sorted.slice(i, i + BLOCK));
  }

  /** The number of the first block whose last key is not `before`; blocks.length if none. */
  private blockOf(before: (key: string) => boolean): number {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.blocks[mid]!;
      if (before(block[block.length - 1]!)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Within a block, the first index whose key is not `before`. */
  private static indexIn(block: string[], before: (key: string) => boolean): number {
    let lo = 0;
    let hi = block.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(block[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(key: string): void {
    const before = (k: string) => compareKeys(k, key) < 0;
    let b = this.blockOf(before);
    if (b === this.blocks.length) {
      // after every key: the last block, or a first one
      if (b === 0) {
        this.blocks.push([key]);
        return;
      }
      b--;
    }
    const block = this.blocks[b]!;
    const i = SortedKeys.indexIn(block, before);
    if (block[i] === key) return;
    block.splice(i, 0, key);
    if (block.length > BLOCK) this.blocks.splice(b + 1, 0, block.splice(BLOCK >>> 1));
  }

  remove(key: string): void {
    const before = (k: string) => compareKeys(k, key) < 0;
    const b = this.blockOf(before);
    const block = this.blocks[b];
    if (!block) return;
    const i = SortedKeys.indexIn(block, before);
    if (block[i] !== key) return;
    block.splice(i, 1);
    if (block.length === 0) this.blocks.splice(b, 1);
  }

  /**
   * The keys from the first one for which `before` is false, in order. `before` must be
   * true for a (possibly empty) run of the first keys and false for all the others.
   * The index must not change while the iterator is in use.
   */
  *from(before: (key: string) => boolean): Generator<string, void, undefined> {
    let b = this.blockOf(before);
    if (b >= this.blocks.length) return;
    let i = SortedKeys.indexIn(this.blocks[b]!, before);
    for (; b < this.blocks.length; b++, i = 0) {
      const block = this.blocks[b]!;
      for (; i < block.length; i++) yield block[i]!;
    }
  }
}

interface Indexed {
  objects: Record<string, unknown>;
}

/** The sorted keys of every bucket of one provider, built on first use and kept up to date. */
export class KeyIndexes {
  private indexes = new WeakMap<Indexed, { objects: Record<string, unknown>; keys: SortedKeys }>();

  /** The sorted keys of a bucket, built when first asked for. */
  of(bucket: Indexed): SortedKeys {
    const found = this.indexes.get(bucket);
    if (found && found.objects === bucket.objects) return found.keys;
    const keys = new SortedKeys(Object.keys(bucket.objects).sort(compareKeys));
    this.indexes.set(bucket, { objects: bucket.objects, keys });
    return keys;
  }

  /** Records a new key of a bucket, if its index has been built (otherwise the build sees it). */
  added(bucket: Indexed, key: string): void {
    const found = this.indexes.get(bucket);
    if (found && found.objects === bucket.objects) found.keys.insert(key);
  }

  /** Records that a key of a bucket has gone. */
  removed(bucket: Indexed, key: string): void {
    const found = this.indexes.get(bucket);
    if (found && found.objects === bucket.objects) found.keys.remove(key);
  }

  /** Forgets every index (the state they were built from was replaced). */
  clear(): void {
    this.indexes = new WeakMap();
  }
}
