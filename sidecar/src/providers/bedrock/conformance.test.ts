import { join } from "node:path";
import { runConformance } from "../../../../test/conformance/runner";
import { createBedrockAdapter } from "./adapter";

runConformance(createBedrockAdapter(), join(__dirname, "../../../../../sidecar/src/providers/bedrock/fixtures"));
