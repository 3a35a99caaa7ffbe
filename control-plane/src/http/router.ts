import type { HttpMethod, RouteDef } from "./types";

type Segment = { kind: "literal"; value: string } | { kind: "param"; name: string } | { kind: "rest"; name: string };

interface Compiled {
  readonly def: RouteDef;
  readonly segments: readonly Segment[];
}

export type RouteMatch =
  | { readonly kind: "found"; readonly def: RouteDef; readonly params: Record<string, string> }
  | { readonly kind: "method_not_allowed"; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: "not_found" };

function compile(path: string): Segment[] {
  return path
    .split("/")
    .filter((s) => s.length > 0)
    .map((s): Segment => (s.startsWith(":") ? { kind: "param", name: s.slice(1) } : s.startsWith("*") ? { kind: "rest", name: s.slice(1) } : { kind: "literal", value: s }));
}

function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const seg = segments[i] as Segment;
    if (seg.kind === "rest") {
      if (i >= parts.length) return undefined;
      const value = decode(parts.slice(i).join("/"));
      if (value === undefined) return undefined;
      params[seg.name] = value;
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.kind === "literal") {
      if (part !== seg.value) return undefined;
      continue;
    }
    const value = decode(part);
    if (value === undefined || value.length === 0) return undefined;
    params[seg.name] = value;
  }
  return parts.length === segments.length ? params : undefined;
}

/** A tiny table router: compiled once, first match wins, distinguishes 404 from 405. */
export function createRouter(defs: readonly RouteDef[]): (method: string, path: string) => RouteMatch {
  const compiled: Compiled[] = defs.map((def) => ({ def, segments: compile(def.path) }));
  return (method, path) => {
    const parts = path.split("/").filter((s) => s.length > 0);
    const allowed: HttpMethod[] = [];
    for (const c of compiled) {
      const params = matchSegments(c.segments, parts);
      if (params === undefined) continue;
      if (c.def.method === method) return { kind: "found", def: c.def, params };
      if (!allowed.includes(c.def.method)) allowed.push(c.def.method);
    }
    return allowed.length > 0 ? { kind: "method_not_allowed", allowed } : { kind: "not_found" };
  };
}
