import { SseScanner } from "../../sse/scanner";

/**
 * Base of stream translators that turn upstream SSE events into client text: byte chunks are framed by the
 * scanner, `event` handles each complete event and appends to `out`; whatever was appended is returned
 * from `push` / `end` as UTF-8 bytes (null for nothing). Pure.
 */
export abstract class SseTextTranslator {
  protected out = "";
  private readonly scanner = new SseScanner();
  private readonly onEvent = (event: Uint8Array): void => this.event(event);

  push(chunk: Uint8Array): Uint8Array | null {
    if (chunk.length > 0) this.scanner.push(chunk, this.onEvent);
    return this.take();
  }

  end(): Uint8Array | null {
    const rest = this.scanner.finish();
    if (rest.length > 0) this.event(rest);
    this.complete();
    return this.take();
  }

  /** One complete SSE event (raw bytes, including its terminating blank line when there was one). */
  protected abstract event(raw: Uint8Array): void;

  /** Upstream ended: append whatever closes the client's stream. */
  protected abstract complete(): void;

  private take(): Uint8Array | null {
    if (this.out === "") return null;
    const bytes = Buffer.from(this.out, "utf8");
    this.out = "";
    return bytes;
  }
}
