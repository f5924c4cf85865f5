/**
 * Masked evidence: enough for an analyst to recognise an item, never enough to use it
 * (cards keep first 4 + last 4 digits, well inside PCI DSS's first 6 + last 4).
 */
function maskDigitsExcept(value, keepFirst, keepLast) {
    let total = 0;
    for (let i = 0; i < value.length; i++)
        if (value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57)
            total++;
    let seen = 0;
    let out = '';
    for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 48 && c <= 57) {
            out += seen < keepFirst || seen >= total - keepLast ? value[i] : '*';
            seen++;
        }
        else {
            out += value[i];
        }
    }
    return out;
}
function maskAlnumExcept(value, keepFirst, keepLast) {
    const isAlnum = (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    let total = 0;
    for (let i = 0; i < value.length; i++)
        if (isAlnum(value.charCodeAt(i)))
            total++;
    let seen = 0;
    let out = '';
    for (let i = 0; i < value.length; i++) {
        if (isAlnum(value.charCodeAt(i))) {
            out += seen < keepFirst || seen >= total - keepLast ? value[i] : '*';
            seen++;
        }
        else {
            out += value[i];
        }
    }
    return out;
}
/** Public prefix + stars + last 4 (`AKIA************MPLE`); stars capped so long tokens stay readable. */
function maskSecret(value, prefixLength, keepLast = 4) {
    if (value.length <= prefixLength + keepLast + 4)
        return `${value.slice(0, Math.min(prefixLength, 4))}${'*'.repeat(8)}`;
    const hidden = value.length - prefixLength - keepLast;
    return `${value.slice(0, prefixLength)}${'*'.repeat(Math.min(hidden, 24))}${value.slice(value.length - keepLast)}`;
}
const SECRET_PREFIX = /^(?:AKIA|ASIA|AIza|gh[pousr]_|github_pat_|npm_|xox[a-z]-|xapp-|(?:sk|rk)_(?:live|test)_|sk-(?:proj|svcacct|admin|ant-api03|ant-admin01)-|sk-|SG\.)/;
export function maskValue(type, value) {
    switch (type) {
        case 'credit_card':
            return maskDigitsExcept(value, 4, 4);
        case 'us_ssn':
        case 'us_bank_account':
        case 'aba_routing':
        case 'us_passport':
        case 'uk_passport':
            return maskAlnumExcept(value, 0, 4);
        case 'uk_nino':
            return maskAlnumExcept(value, 2, 1);
        case 'phone_number':
            return maskDigitsExcept(value, value.startsWith('+') ? 2 : 0, 2);
        case 'iban':
            return maskAlnumExcept(value, 4, 4);
        case 'email': {
            const at = value.indexOf('@');
            return at <= 0 ? '***' : `${value[0]}***${value.slice(at)}`;
        }
        case 'ip_address': {
            if (value.includes(':')) {
                const first = value.split(':')[0] ?? '';
                return `${first}:****:****`;
            }
            return value.replace(/\.\d+$/, '.*');
        }
        case 'private_key': {
            const header = value.slice(0, value.indexOf('-----', 5) + 5);
            return `${header} [${value.length} chars]`;
        }
        case 'jwt': {
            let alg = '?';
            try {
                const h = JSON.parse(Buffer.from(value.split('.')[0] ?? '', 'base64url').toString('utf8'));
                if (typeof h.alg === 'string')
                    alg = h.alg.slice(0, 10);
            }
            catch {
                // keep '?'
            }
            return `eyJ***(jwt, 3 parts, alg ${alg})`;
        }
        case 'azure_storage_connection_string': {
            const name = /AccountName=([^;]*)/i.exec(value)?.[1] ?? '?';
            const key = /AccountKey=([^;]*)/i.exec(value)?.[1] ?? '';
            return `DefaultEndpointsProtocol=…;AccountName=${name};AccountKey=${'*'.repeat(8)}${key.slice(-4)}`;
        }
        case 'password_in_connection_string':
            return '********';
        default: {
            const p = SECRET_PREFIX.exec(value);
            return maskSecret(value, p ? p[0].length : 0);
        }
    }
}
