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
];
export function confidenceLevel(score) {
    if (score >= 85)
        return 'high';
    if (score >= 75)
        return 'medium';
    return 'low';
}
export function confidenceScore(level) {
    return level === 'high' ? 85 : level === 'medium' ? 75 : 65;
}
