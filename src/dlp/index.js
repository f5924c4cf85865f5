/**
 * DLP engine public API. The worker calls `createDlpEngine({ policy })` once and `scanMessage(chatMessage)`
 * per decrypted Teams message; findings carry masked evidence only.
 */
export { messageSegments } from './content.js';
export { createDlpEngine, DEFAULT_MIN_CONFIDENCE } from './engine.js';
export { decodeTeamsHtml } from './html.js';
export { maskValue } from './mask.js';
export { DLP_ACTIONS, loadPolicyFile, parsePolicy, SEVERITIES, validatePolicy } from './policy.js';
export { confidenceLevel, SENSITIVE_TYPES, } from './types.js';
