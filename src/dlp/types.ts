/** The 26 canonical sensitive-information types of the findings contract (dlp-detection.md §9.3). */
export const SENSITIVE_TYPES = [
  'credit_card',
  'us_ssn',
  'us_bank_account',
  'aba_routing',
  'iban',
  'us_passport',
  'uk_passport',
  'uk_nino',
  'email',
  'phone_number',
  'ip_address',
  'azure_storage_key',
  'azure_storage_connection_string',
  'azure_sas_token',
  'entra_client_secret',
  'aws_access_key_id',
  'aws_secret_access_key',
  'github_token',
  'slack_token',
  'google_api_key',
  'stripe_key',
  'private_key',
  'jwt',
  'password_in_connection_string',
  'npm_token',
  'generic_api_key',
] as const;

export type SensitiveType = (typeof SENSITIVE_TYPES)[number];

/** Purview's numeric confidence model: 65 low, 75 medium, 85 high. */
export type ConfidenceLevel = 'low' | 'medium' | 'high';

export function confidenceLevel(score: number): ConfidenceLevel {
  if (score >= 85) return 'high';
  if (score >= 75) return 'medium';
  return 'low';
}

export function confidenceScore(level: ConfidenceLevel): number {
  return level === 'high' ? 85 : level === 'medium' ? 75 : 65;
}

/**
 * One detector hit inside one segment of scannable content. Holds the unmasked value: engine-internal,
 * only the `scan` CLI prints it.
 */
export interface RawMatch {
  /** Canonical type, or a custom detector's type name. */
  type: string;
  /** Detector that produced it (built-in type name or custom detector id). */
  detectorId: string;
  start: number;
  end: number;
  /** Exact substring of the segment's scannable content (`text.slice(start, end)`). */
  value: string;
  /** 65 | 75 | 85 (custom detectors may use other integers). */
  confidence: number;
}

/** A named piece of scannable content (body, subject, attachment name, card text). Windows never cross segments. */
export interface Segment {
  name: string;
  text: string;
}
