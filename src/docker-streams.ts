/** Reading what the engine streams: Docker's multiplexed output, a bounded tail, the end of a stream. */
import { StringDecoder } from 'node:string_decoder';

/**
 * Docker's stream format without a TTY, frames of [stream, 0, 0, 0, size (uint32 BE)] and
 * payload, decoded chunk by chunk (a frame may span chunks, a character may span frames).
 */
export function demultiplexer(write: (text: string, stream: 'stdout' | 'stderr') => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      const stream = pending[0] === 2 ? 'stderr' : 'stdout';
      const text = decoders[stream].write(pending.subarray(8, 8 + size));
      if (text) write(text, stream);
      pending = pending.subarray(8 + size);
    }
  };
}

/** The last `max` characters of what was written, from a line start when it can. */
export class Tail {
  private text = '';
  constructor(private readonly max = 64 * 1024) {}
  push(text: string): void {
    this.text += text;
    if (this.text.length > 2 * this.max) this.text = this.text.slice(-this.max);
  }
  lines(n: number): string {
    return this.text.trimEnd().split('\n').slice(-n).join('\n');
  }
}

export function ended(stream: NodeJS.ReadableStream, timeoutMs: number): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      done();
    };
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
}
