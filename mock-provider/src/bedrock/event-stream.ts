/** ConverseStream wire format: `application/vnd.amazon.eventstream` messages built with AWS's encoder. */
import { EventStreamCodec, type MessageHeaders } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { splitArguments } from "../tool-calls";
import type { ConversePlan } from "./converse";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: "string" as const, value });

export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  const headers: MessageHeaders = { ":event-type": str(eventType), ":content-type": str("application/json"), ":message-type": str("event") };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) });
}

export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  const headers: MessageHeaders = { ":exception-type": str(exceptionType), ":content-type": str("application/json"), ":message-type": str("exception") };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify({ message })) });
}

/** The frames of a streamed answer, in order. `padding` goes into the `p` field like Bedrock's random padding. */
export function planFrames(plan: ConversePlan, padding: string): Uint8Array[] {
  const frames: Uint8Array[] = [eventFrame("messageStart", { p: padding, role: "assistant" })];
  if (plan.toolUses.length > 0) {
    plan.toolUses.forEach((use, i) => {
      frames.push(eventFrame("contentBlockStart", { contentBlockIndex: i, start: { toolUse: { toolUseId: use.toolUseId, name: use.name } } }));
      for (const piece of splitArguments(JSON.stringify(use.input))) {
        frames.push(eventFrame("contentBlockDelta", { contentBlockIndex: i, delta: { toolUse: { input: piece } } }));
      }
      frames.push(eventFrame("contentBlockStop", { contentBlockIndex: i }));
    });
  } else {
    plan.words.forEach((w, i) => frames.push(eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: i === 0 ? w : ` ${w}` } })));
    frames.push(eventFrame("contentBlockStop", { contentBlockIndex: 0 }));
  }
  frames.push(eventFrame("messageStop", { stopReason: plan.stopReason }));
  frames.push(eventFrame("metadata", { usage: plan.usage, metrics: { latencyMs: 1 } }));
  return frames;
}
