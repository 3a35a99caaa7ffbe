import { join } from "node:path";
import { runConformance } from "../../../../test/conformance/runner";
import { createAnthropicAdapter } from "./adapter";

runConformance(createAnthropicAdapter(), join(__dirname, "../../../../../sidecar/src/providers/anthropic/fixtures"));
