import { join } from "node:path";
import { runConformance } from "../../../../test/conformance/runner";
import { cohereAdapter } from "./adapter";

runConformance(cohereAdapter, join(__dirname, "../../../../../sidecar/src/providers/cohere/fixtures"));
