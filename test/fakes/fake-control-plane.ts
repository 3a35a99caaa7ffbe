/** Test-only fake of the control plane's PolicyService.Watch and UsageService.Report (grpc-js). */
import {
  Server,
  ServerCredentials,
  status,
  type ServerDuplexStream,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { serviceDefinition, type PolicySnapshot, type PolicyUpdate, type ReportAck, type UsageBatch, type WatchRequest } from "../../proto";

export class FakeControlPlane {
  readonly batches: UsageBatch[] = [];
  readonly watchRequests: WatchRequest[] = [];
  readonly reportConnections: number[] = [];
  readonly authHeaders: string[] = [];
  /** When true, the next received batch is not acked and its stream is failed with UNAVAILABLE. */
  cutNextBatch = false;
  /** Batches with this seq are rejected with INVALID_ARGUMENT (the stream ends), as the real CP does for invalid ones. */
  rejectSeq: number | null = null;
  /** Acks are written this long after their batch arrived (a slow store: batches pile up in flight). */
  ackDelayMs = 0;
  private readonly acked = new Set<string>();
  private readonly watchers = new Set<ServerWritableStream<WatchRequest, PolicyUpdate>>();
  private current: PolicyUpdate | null = null;
  private server = new Server();
  port = 0;

  constructor(private readonly token: string) {}

  async start(): Promise<void> {
    this.server.addService(serviceDefinition("PolicyService"), { Watch: this.watch } as UntypedServiceImplementation);
    this.server.addService(serviceDefinition("UsageService"), { Report: this.report } as UntypedServiceImplementation);
    this.port = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve(port),
      );
    });
  }

  /** Publishes a full snapshot to every watcher (and to later ones). */
  publish(version: number, snapshot: PolicySnapshot): void {
    this.current = { version, issued_at_ms: Date.now(), snapshot };
    for (const w of this.watchers) w.write(this.current);
  }

  /** Sends an arbitrary update to current watchers only. */
  push(update: PolicyUpdate): void {
    for (const w of this.watchers) w.write(update);
  }

  /** Distinct records that reached the store (deduplicated by producer + seq, as the real CP does). */
  get records(): UsageBatch["records"] {
    const seen = new Set<string>();
    const out: UsageBatch["records"] = [];
    for (const b of this.batches) {
      const id = `${b.producer_id}/${b.seq}`;
      if (seen.has(id) || !this.acked.has(id)) continue;
      seen.add(id);
      out.push(...b.records);
    }
    return out;
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > until) throw new Error("condition not reached in time");
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.end();
    this.server.forceShutdown();
  }

  private authorized(call: { metadata: { get(key: string): unknown[] } }): boolean {
    const value = String(call.metadata.get("authorization")[0] ?? "");
    this.authHeaders.push(value);
    return value === `Bearer ${this.token}`;
  }

  private readonly watch = (call: ServerWritableStream<WatchRequest, PolicyUpdate>): void => {
    if (!this.authorized(call)) {
      call.emit("error", { code: status.UNAUTHENTICATED, details: "bad token" });
      return;
    }
    this.watchRequests.push(call.request);
    this.watchers.add(call);
    call.on("cancelled", () => this.watchers.delete(call));
    call.on("close", () => this.watchers.delete(call));
    if (this.current !== null) call.write(this.current);
  };

  private readonly report = (call: ServerDuplexStream<UsageBatch, ReportAck>): void => {
    if (!this.authorized(call)) {
      call.emit("error", { code: status.UNAUTHENTICATED, details: "bad token" });
      return;
    }
    this.reportConnections.push(Date.now());
    call.on("data", (batch: UsageBatch) => {
      this.batches.push(batch);
      if (this.cutNextBatch) {
        this.cutNextBatch = false;
        call.emit("error", { code: status.UNAVAILABLE, details: "cut by test" });
        return;
      }
      if (batch.seq === this.rejectSeq) {
        call.emit("error", { code: status.INVALID_ARGUMENT, details: "invalid usage batch: rejected by test" });
        return;
      }
      const ack = (): void => {
        const id = `${batch.producer_id}/${batch.seq}`;
        const duplicate = this.acked.has(id);
        this.acked.add(id);
        call.write({ producer_id: batch.producer_id, seq: batch.seq, duplicate });
      };
      if (this.ackDelayMs > 0) setTimeout(ack, this.ackDelayMs);
      else ack();
    });
    call.on("end", () => call.end());
    call.on("error", () => undefined);
  };
}
