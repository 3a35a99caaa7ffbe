import { join } from "node:path";
import { runConformance } from "../../../../test/conformance/runner";
import { createOpenAiCompatibleAdapter } from "./adapter";

runConformance(createOpenAiCompatibleAdapter("openai"), join(__dirname, "../../../../../sidecar/src/providers/openai-compatible/fixtures"));
