import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSasToken } from '../../src/local/eventhubs/sas.js';

const key = { keyName: 'RootManageSharedAccessKey', key: 'SAS_KEY_VALUE' };

/** The token the SDK builds (eventhubs-amqp.md §2.3). */
function token(audience: string, expirySeconds: number, signingKey = key.key, keyName = key.keyName): string {
  const sr = encodeURIComponent(audience);
  const sig = createHmac('sha256', Buffer.from(signingKey, 'utf8'))
    .update(`${sr}\n${expirySeconds}`)
    .digest('base64');
  return `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sig)}&se=${expirySeconds}&skn=${encodeURIComponent(keyName)}`;
}

describe('SAS token check for $cbs put-token', () => {
  const audience = 'sb://127.0.0.1:5672/notifications/ConsumerGroups/$default/Partitions/0';
  const now = 1_700_000_000_000;
  const later = now / 1000 + 3600;

  it('accepts a token signed with the key for this audience or a parent resource', () => {
    expect(checkSasToken(token(audience, later), audience, key, now)).toBeUndefined();
    expect(
      checkSasToken(token('sb://127.0.0.1:5672/notifications', later), audience, key, now),
    ).toBeUndefined();
  });

  it('refuses a wrong key, an unknown key name, an expired token and another audience', () => {
    expect(checkSasToken(token(audience, later, 'other'), audience, key, now)).toMatch(/InvalidSignature/);
    expect(checkSasToken(token(audience, later, key.key, 'someone'), audience, key, now)).toMatch(
      /key name 'someone'/,
    );
    expect(checkSasToken(token(audience, now / 1000 - 1), audience, key, now)).toMatch(/ExpiredToken/);
    expect(checkSasToken(token('sb://127.0.0.1:5672/findings', later), audience, key, now)).toMatch(
      /InvalidAudience/,
    );
    expect(checkSasToken('garbage', audience, key, now)).toMatch(/InvalidSignature/);
  });
});
