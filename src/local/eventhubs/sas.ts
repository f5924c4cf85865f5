/**
 * Optional SAS token check for `$cbs` put-token (eventhubs-amqp.md §2.3): HMAC-SHA256 with the key's UTF-8
 * bytes over `encodeURIComponent(audience) + "\n" + expiry`, key name, expiry and audience. Pure.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SasKey {
  keyName: string;
  key: string;
}

/** Why a token is refused, in the service's words; undefined when it is valid for the audience. */
export function checkSasToken(
  token: string,
  audience: string,
  key: SasKey,
  nowMs = Date.now(),
): string | undefined {
  const prefix = 'SharedAccessSignature ';
  if (!token.startsWith(prefix)) return 'InvalidSignature: The token has an invalid signature.';
  const fields = new Map<string, string>();
  for (const part of token.slice(prefix.length).split('&')) {
    const i = part.indexOf('=');
    if (i > 0) fields.set(part.slice(0, i), part.slice(i + 1));
  }
  const sr = fields.get('sr');
  const sig = fields.get('sig');
  const se = fields.get('se');
  const skn = fields.get('skn');
  if (!sr || !sig || !se || !skn) return 'InvalidSignature: The token is missing sr, sig, se or skn.';
  if (decodeURIComponent(skn) !== key.keyName)
    return `Unauthorized: The shared access key name '${decodeURIComponent(skn)}' is not known.`;
  if (!/^\d+$/.test(se) || Number(se) * 1000 < nowMs) return 'ExpiredToken: The token is expired.';
  const resource = decodeURIComponent(sr).toLowerCase().replace(/\/$/, '');
  const target = audience.toLowerCase().replace(/\/$/, '');
  if (target !== resource && !target.startsWith(`${resource}/`))
    return `InvalidAudience: The token audience '${decodeURIComponent(sr)}' does not cover '${audience}'.`;
  const expected = createHmac('sha256', Buffer.from(key.key, 'utf8')).update(`${sr}\n${se}`).digest();
  let given: Buffer;
  try {
    given = Buffer.from(decodeURIComponent(sig), 'base64');
  } catch {
    return 'InvalidSignature: The token has an invalid signature.';
  }
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return 'InvalidSignature: The token has an invalid signature.';
  return undefined;
}
