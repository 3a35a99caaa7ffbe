import { join } from "node:path";
import { runConformance } from "../../../../test/conformance/runner";
import { OPENAI_COMPATIBLE_VENDORS } from "./vendors";

const FIXTURES = join(__dirname, "../../../../../sidecar/src/providers/openai-compatible/vendor-fixtures");

// One fixture directory per vendor id: vendor-fixtures/<id>/<case>.json.
for (const [id, adapter] of Object.entries(OPENAI_COMPATIBLE_VENDORS)) runConformance(adapter, join(FIXTURES, id));
