/**
 * Bedrock's error wire format: HTTP status, JSON body `{"message": …}` and the exception name in
 * `x-amzn-ErrorType: <Name>:<namespace>` (providers.md §5.6). Bedrock sends no retry-after.
 */
export interface BedrockMockError {
  status: number;
  name: string;
  message: string;
}

const NAMESPACE = "http://internal.amazon.com/coral/com.amazon.bedrock/";

const BY_STATUS: Record<number, string> = {
  400: "ValidationException",
  403: "AccessDeniedException",
  404: "ResourceNotFoundException",
  408: "ModelTimeoutException",
  409: "ConflictException",
  424: "ModelErrorException",
  429: "ThrottlingException",
  500: "InternalServerException",
  503: "ServiceUnavailableException",
};

/** The exception an injected `[mock:error=STATUS]` answers with. */
export function injectedError(status: number): BedrockMockError {
  const name = BY_STATUS[status] ?? (status >= 500 ? "InternalServerException" : "ValidationException");
  return { status, name, message: `${name} (injected by mock).` };
}

export const validation = (message: string): BedrockMockError => ({ status: 400, name: "ValidationException", message });
export const invalidSignature = (message: string): BedrockMockError => ({ status: 403, name: "InvalidSignatureException", message });
export const unrecognizedClient = (): BedrockMockError => ({
  status: 403,
  name: "UnrecognizedClientException",
  message: "The security token included in the request is invalid.",
});

export function errorHeaders(e: BedrockMockError, requestId: string): Record<string, string> {
  return { "content-type": "application/json", "x-amzn-errortype": `${e.name}:${NAMESPACE}`, "x-amzn-requestid": requestId };
}

export function errorBody(e: BedrockMockError): string {
  return JSON.stringify({ message: e.message });
}
