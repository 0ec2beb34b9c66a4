/**
 * A zip archive written as a stream (fflate's streaming `Zip`): JSON members
 * deflated, file bytes stored as they are (already compressed media gains
 * nothing), each member written while it is read, with backpressure from the
 * reader, so an export of a large chat never sits in memory whole.
 */
import { Zip, ZipDeflate, ZipPassThrough } from "fflate";

const enc = new TextEncoder();

export class ZipStream {
  readonly readable: ReadableStream<Uint8Array>;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private readonly zip: Zip;
  private pending: Promise<void> = Promise.resolve();
  private failed: unknown = null;

  constructor() {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    this.readable = readable;
    this.writer = writable.getWriter();
    this.zip = new Zip((err, chunk, final) => {
      if (err) {
        this.failed = err;
        void this.writer.abort(err).catch(() => undefined);
        return;
      }
      this.pending = this.pending.then(() => this.writer.write(chunk));
      if (final) this.pending = this.pending.then(() => this.writer.close());
    });
  }

  /** Waits until the reader has taken what was written so far. */
  private async drain(): Promise<void> {
    await this.pending;
    if (this.failed) throw this.failed;
  }

  /** A JSON member written in parts: `write` each part (a page of an array), then `end`. */
  text(name: string): { write(part: string): Promise<void>; end(): Promise<void> } {
    const file = new ZipDeflate(name, { level: 6 });
    this.zip.add(file);
    return {
      write: async (part) => {
        file.push(enc.encode(part), false);
        await this.drain();
      },
      end: async () => {
        file.push(new Uint8Array(0), true);
        await this.drain();
      },
    };
  }

  async json(name: string, value: unknown): Promise<void> {
    const member = this.text(name);
    await member.write(JSON.stringify(value, null, 1));
    await member.end();
  }

  /** A member from a stream of bytes (a file from R2), stored as it is. */
  async bytes(name: string, body: ReadableStream<Uint8Array>): Promise<void> {
    const file = new ZipPassThrough(name);
    this.zip.add(file);
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      file.push(value, false);
      await this.drain();
    }
    file.push(new Uint8Array(0), true);
    await this.drain();
  }

  async end(): Promise<void> {
    this.zip.end();
    await this.drain();
  }

  /** Ends the stream with an error (the download fails visibly instead of ending short). */
  abort(err: unknown): void {
    this.failed = err;
    void this.writer.abort(err).catch(() => undefined);
  }
}
