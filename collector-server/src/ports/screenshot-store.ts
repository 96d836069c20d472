/**
 * Content-addressed image storage: the key is the SHA-256 (hex) of the bytes, so a path is never
 * built from client input and writing the same image twice is harmless.
 */
export interface ScreenshotStore {
  /**
   * Stores `bytes` and returns their SHA-256. Idempotent. Durable (on disk, surviving a power cut)
   * when it resolves, unless `durable: false`: then whole or absent after a crash, but a power cut
   * may lose it (for files that can be derived again, such as thumbnails).
   */
  put(bytes: Buffer, options?: { durable?: boolean }): Promise<string>;
  get(sha256: string): Promise<Buffer | undefined>;
  has(sha256: string): Promise<boolean>;
  /** For retention and orphan collection; deleting an absent file is not an error. */
  delete(sha256: string): Promise<void>;
  /** Every stored hash (for orphan collection: files no row refers to). */
  list(): AsyncIterable<string>;
  /** When the file was written, or undefined if absent. */
  modifiedAt(sha256: string): Promise<Date | undefined>;
}
