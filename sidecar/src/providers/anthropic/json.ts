/** The shared pure JSON helpers, under the names the Anthropic adapter files use. */
import { invalidParam, parseJsonText } from "../shared/json-bytes";

export { count, isRecord, utf8, type Json } from "../shared/json-bytes";
export const tryParse = parseJsonText;
export const invalid = invalidParam;
