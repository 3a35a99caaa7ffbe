import { join } from "node:path";
import { runConformance } from "../../../../test/conformance/runner";
import { geminiAdapter, vertexAdapter } from "./adapter";

const SOURCE = join(__dirname, "../../../../../sidecar/src/providers/gemini");

runConformance(geminiAdapter, join(SOURCE, "fixtures"));
runConformance(vertexAdapter, join(SOURCE, "fixtures-vertex"));
