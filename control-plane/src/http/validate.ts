import type { z } from "zod";
import { ApiError, type ErrorDetail } from "../errors/codes";

function details(error: z.ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue): ErrorDetail[] => {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => ({ path: [...base, k].join("."), message: "unknown field" }));
    }
    return [{ path: base.length > 0 ? base.join(".") : "(root)", message: issue.message }];
  });
}

/** Parses `value` with `schema` or throws `validation_failed` with one detail per problem. */
export function validate<T extends z.ZodType>(schema: T, value: unknown, what = "request body"): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  return invalid(`The ${what} is invalid.`, details(r.error));
}

export function invalid(message: string, d: readonly ErrorDetail[]): never {
  throw new ApiError("validation_failed", message, d);
}

/** Validates a path parameter (e.g. `{id}`) and reports it under `path` in the details. */
export function validateParam<T extends z.ZodType>(schema: T, value: string | undefined, name: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  return invalid(`The path parameter ${name} is invalid.`, r.error.issues.map((i) => ({ path: name, message: i.message })));
}
