/** The shared pure JSON helpers, under the names the Bedrock adapter files use. */
export { asBuffer, count, invalidParam, isRecord, parseJsonBytes, parseJsonText, type Json } from "../shared/json-bytes";
