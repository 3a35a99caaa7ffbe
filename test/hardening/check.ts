/** What "well-formed" means for an answer, and whether it meets a case's expectation. */
import type { RawAnswer } from "./raw-http";
import type { Expectation } from "./cases";

interface ErrorJson {
  error?: { code?: unknown; message?: unknown; type?: unknown; param?: unknown };
}

/**
 * Problems with an answer (empty = fine). `catalogue` = the codes this listener may answer with.
 * `relayed`: the listener also relays provider errors as they are (OpenAI-shaped, any `code`, often null).
 */
export function answerProblems(answer: RawAnswer, expect: Expectation, catalogue: ReadonlySet<string>, relayed = false): string[] {
  if (answer.hung) return ["no answer and no close within the timeout (stall)"];
  if (answer.malformed !== null) return [`malformed answer: ${answer.malformed}`];
  if (answer.status === null) return expect.closedOrParserError || expect.any ? [] : ["closed without an answer"];
  const problems: string[] = [];
  const status = answer.status;
  if (status < 100 || status > 599) problems.push(`status ${status} out of range`);
  const json = (answer.headers.get("content-type") ?? "").startsWith("application/json");
  let code: unknown;
  let param: unknown;
  if (status >= 400) {
    if (json) {
      let parsed: ErrorJson | undefined;
      try {
        parsed = JSON.parse(answer.body.toString("utf8")) as ErrorJson;
      } catch {
        problems.push("error body is not JSON");
      }
      code = parsed?.error?.code;
      param = parsed?.error?.param;
      const known = typeof code === "string" && catalogue.has(code);
      const relayedShape = relayed && typeof parsed?.error?.type === "string" && (code === null || typeof code === "string");
      if (!known && !relayedShape) problems.push(`error code ${JSON.stringify(code)} is not in the catalogue`);
      if (typeof parsed?.error?.message !== "string") problems.push("error without a message");
    } else if (!(expect.closedOrParserError || expect.any) || ![400, 408, 413, 414, 431, 505].includes(status)) {
      problems.push(`error ${status} without a JSON body`);
    }
  }
  if (expect.any) return problems;
  if (expect.status !== undefined) {
    const wanted = typeof expect.status === "number" ? [expect.status] : expect.status;
    if (!wanted.includes(status)) problems.push(`status ${status}, expected ${wanted.join("|")}`);
  } else if (expect.closedOrParserError && status < 400) problems.push(`status ${status}, expected a parser rejection or a close`);
  if (expect.code !== undefined && code !== expect.code) problems.push(`code ${JSON.stringify(code)}, expected ${expect.code}`);
  if (expect.param !== undefined && param !== expect.param) problems.push(`param ${JSON.stringify(param)}, expected ${expect.param}`);
  if (expect.requestIdNotEchoed !== undefined && answer.headers.get("x-request-id") === expect.requestIdNotEchoed) {
    problems.push("unsafe x-request-id echoed");
  }
  return problems;
}
