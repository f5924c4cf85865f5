/**
 * DLP engine public API. The worker calls `createDlpEngine({ policy })` once and `scanMessage(chatMessage)`
 * per decrypted Teams message; findings carry masked evidence only.
 */

export { type ChatMessageLike, messageSegments } from './content.js';
export type { CustomDetectorSpec, CustomValidatorSpec } from './custom.js';
export type { Detector } from './detector.js';
export type {
  DlpEngine,
  DlpEngineOptions,
  Finding,
  FindingLocation,
  MatchedRule,
  ScanResult,
  ScanTextOptions,
} from './engine.js';
export { createDlpEngine, DEFAULT_MIN_CONFIDENCE } from './engine.js';
export { decodeTeamsHtml } from './html.js';
export { maskValue } from './mask.js';
export type { DlpAction, DlpPolicy, PolicyRule, Severity } from './policy.js';
export { DLP_ACTIONS, loadPolicyFile, parsePolicy, SEVERITIES, validatePolicy } from './policy.js';
export {
  type ConfidenceLevel,
  confidenceLevel,
  type RawMatch,
  SENSITIVE_TYPES,
  type Segment,
  type SensitiveType,
} from './types.js';
