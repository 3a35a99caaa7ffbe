import type { ProxyError } from "../errors/proxy-error";
import type { RequestContext } from "./context";

/** A synchronous pipeline step: fills the context or rejects with a catalogue error. */
export type Stage = (ctx: RequestContext) => ProxyError | null;

/** Builds the chain once at startup; runs stages in order, stopping at the first rejection. */
export function composeStages(stages: readonly Stage[]): Stage {
  const list = [...stages];
  if (list.length === 1) return list[0] as Stage;
  return (ctx) => {
    for (let i = 0; i < list.length; i++) {
      const err = (list[i] as Stage)(ctx);
      if (err !== null) return err;
    }
    return null;
  };
}
