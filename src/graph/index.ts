export {
  createGraphClient,
  type GraphClient,
  type GraphClientOptions,
  type GraphRequestOptions,
  type RetryEvent,
} from './client.js';
export {
  BACKFILL_APP_ROLES,
  createGraphCredential,
  decodeTokenRoles,
  type GraphCredentialSettings,
  graphScopeFor,
  isLoopbackUrl,
  LocalSimulatorCredential,
  REQUIRED_APP_ROLES,
  WRITE_BACK_APP_ROLES,
} from './credential.js';
export {
  classifyGraphFailure,
  GraphErrorCodes,
  graphDlpErrorFromFailure,
  parseGraphErrorBody,
} from './errors.js';
export { DEFAULT_RETRY_POLICY, parseRetryAfterMs, type RetryPolicy, retryDelayMs } from './retry.js';
