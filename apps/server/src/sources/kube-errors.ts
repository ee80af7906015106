/** What went wrong talking to the API, in the terms the status shows. */
export interface KubeFailure {
  /** HTTP status, when the API answered. */
  httpStatus?: number;
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function statusMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return statusMessage(JSON.parse(body) as unknown);
    } catch {
      return body.trim() || undefined;
    }
  }
  return isRecord(body) && typeof body['message'] === 'string' ? body['message'] : undefined;
}

/**
 * Reads the errors client-node produces: `ApiException` (generated APIs: `code`, `body` with a
 * Status), watch errors (`statusCode`, status text), and network errors (`code` like
 * `ECONNREFUSED`).
 */
export function describeKubeFailure(err: unknown): KubeFailure {
  if (!isRecord(err)) return { message: String(err) };
  const baseMessage = typeof err['message'] === 'string' ? err['message'] : String(err);
  const apiCode = typeof err['code'] === 'number' ? err['code'] : undefined;
  const watchCode = typeof err['statusCode'] === 'number' ? err['statusCode'] : undefined;
  const httpStatus = apiCode ?? watchCode;
  if (httpStatus !== undefined) {
    const detail = statusMessage(err['body']) ?? baseMessage;
    return { httpStatus, message: `HTTP ${httpStatus}: ${detail}` };
  }
  const sysCode = typeof err['code'] === 'string' ? err['code'] : undefined;
  const message = sysCode && !baseMessage.includes(sysCode) ? `${sysCode}: ${baseMessage}` : baseMessage;
  return { message: `API unreachable: ${message}` };
}
