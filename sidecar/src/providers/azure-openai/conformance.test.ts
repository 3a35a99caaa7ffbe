import { join } from "node:path";
import { runConformance } from "../../../../test/conformance/runner";
import { azureOpenAiAdapter } from "./adapter";

runConformance(azureOpenAiAdapter, join(__dirname, "../../../../../sidecar/src/providers/azure-openai/fixtures"));
