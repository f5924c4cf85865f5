import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  keyNameAnchors,
  ScanContext,
  T_EYJ,
  T_GH,
  T_NPM,
  T_STRIPE,
  T_VENDOR,
  wordTriggerBits,
} from '../../src/dlp/context.js';
import { connectionStringValue, nextBase64Run40 } from '../../src/dlp/detectors/cloud.js';
import { underEncryptedData } from '../../src/dlp/detectors/generic.js';
import { createDlpEngine } from '../../src/dlp/index.js';
import { base62Encode, crc32 } from '../../src/dlp/validators.js';

const engine = createDlpEngine();
const scan = (html: string) => engine.scanHtml(html).map((m) => [m.type, m.value]);
const only = (html: string, type: string) =>
  engine
    .scanHtml(html)
    .filter((m) => m.type === type)
    .map((m) => m.value);

const ghToken = (() => {
  const body = 'Zq8Lm2Nx4Rt6Vb1Kc3Hy5Wp7Jd9Fs0';
  return `ghp_${body}${base62Encode(crc32(body), 6)}`;
})();

describe('DLP detectors: positives with formatting variants', () => {
  it('finds cards written with spaces, dashes, &nbsp;, tags splitting the digits, and inside tables', () => {
    expect(only('<p>4539 1488 0343 6467</p>', 'credit_card')).toEqual(['4539 1488 0343 6467']);
    expect(only('<p>4539-1488-0343-6467</p>', 'credit_card')).toEqual(['4539-1488-0343-6467']);
    expect(only('<p>4539&nbsp;1488&nbsp;0343&nbsp;6467</p>', 'credit_card')).toEqual([
      '4539\u00a01488\u00a00343\u00a06467',
    ]);
    expect(only('<p><b>4539</b> <i>1488</i> 0343 6467</p>', 'credit_card')).toEqual(['4539 1488 0343 6467']);
    expect(only('<table><tr><td>card</td><td>4539148803436467</td></tr></table>', 'credit_card')).toEqual([
      '4539148803436467',
    ]);
  });

  it('reports a bare Luhn-valid card at low confidence and raises it with a keyword in any supported language', () => {
    const conf = (html: string) => engine.scanHtml(html).find((m) => m.type === 'credit_card')?.confidence;
    expect(conf('<p>4539 1488 0343 6467</p>')).toBe(65);
    expect(conf('<p>Kreditkarte: 4539 1488 0343 6467</p>')).toBe(85);
    expect(conf('<p>numéro de carte 4539 1488 0343 6467</p>')).toBe(85);
    expect(conf('<p>tarjeta de crédito 4539 1488 0343 6467</p>')).toBe(85);
    expect(conf('<p>4539 1488 0343 6467 exp 04/27</p>')).toBe(85);
  });

  it('does not take a negated context word as context ("is not my SSN", "Not the routing number", "nicht meine SSN")', () => {
    for (const html of [
      "<p>713-74-4815 is not my SSN, it's the case number from the benefits hotline</p>",
      '<p>Das ist nicht meine SSN, 846-10-9488 ist die Vorgangsnummer vom Benefits-Team.</p>',
      '<p>No es mi SSN: 660-10-5198 es el número de caso del seguro médico.</p>',
      '<p>Not the routing number - 700217012 is the check number range from the old checkbook</p>',
      "<p>That's not an account number, 392169890577 is the ticket ID in ServiceNow</p>",
    ])
      expect(scan(html), html).toEqual([]);
    // A negation elsewhere in the sentence does not cancel the keyword.
    expect(scan('<p>Not sure you need it, but my SSN is 536-22-1234</p>')).toEqual([
      ['us_ssn', '536-22-1234'],
    ]);
  });

  it('reads common typos and abbreviations of the passport, routing and NINO labels as context (pasport, routng, nat insurance no)', () => {
    expect(scan('<p>US pasport no 215199924</p>')).toEqual([['us_passport', '215199924']]);
    expect(scan('<div>checking acct # 00207412017 routng 728761210</div>')).toEqual([
      ['us_bank_account', '00207412017'],
      ['aba_routing', '728761210'],
    ]);
    expect(scan('<p>nat insurance no RY-13-53-73-D</p>')).toEqual([['uk_nino', 'RY-13-53-73-D']]);
  });

  it('reads abbreviated and commonly misspelt SSN labels as SSN context (Soc. Sec. No., social secuirty)', () => {
    expect(scan('<ul><li>Soc. Sec. No.: 498-38-1486</li></ul>')).toEqual([['us_ssn', '498-38-1486']]);
    expect(scan('<p>my social secuirty number for the tax form is 150-81-7705</p>')).toEqual([
      ['us_ssn', '150-81-7705'],
    ]);
  });

  it('finds a formatted SSN in a CSV line after a comma, but not a compact 9-digit run between commas', () => {
    expect(scan('<pre>employee_id,name,SSN\n788933,R. Alvarez,640-18-4210,active</pre>')).toEqual([
      ['us_ssn', '640-18-4210'],
    ]);
    expect(scan('<pre>employee_id,SSN,amount\n788933,536221234,1,250</pre>')).toEqual([]);
  });

  it('takes no phone out of a longer run of digit groups (a French social-security number)', () => {
    expect(only('<p>Mon numéro INSEE : 2 91 04 75 443 966 70</p>', 'phone_number')).toEqual([]);
    expect(only('<p>Mon numéro : 06 12 34 56 78</p>', 'phone_number')).toEqual(['06 12 34 56 78']);
  });

  it('needs an SSN keyword (EN/DE/FR/ES) for SSNs and keeps the value as written', () => {
    expect(only('<p>SSN: 536-22-1234</p>', 'us_ssn')).toEqual(['536-22-1234']);
    expect(only('<p>Sozialversicherungsnummer 536 22 1234</p>', 'us_ssn')).toEqual(['536 22 1234']);
    expect(only('<p>numéro de sécurité sociale 536221234</p>', 'us_ssn')).toEqual(['536221234']);
    expect(only('<p>número de seguro social: 536-22-1234</p>', 'us_ssn')).toEqual(['536-22-1234']);
  });

  it('settles a 9-digit number between SSN and routing number by the nearest keyword', () => {
    expect(scan('<p>SSN 536-22-1234</p><p>routing number 021000021</p>')).toEqual([
      ['us_ssn', '536-22-1234'],
      ['aba_routing', '021000021'],
    ]);
  });

  it('finds bank accounts and routing numbers only next to their keywords', () => {
    expect(scan('<p>Checking account number: 4400012345</p>')).toEqual([['us_bank_account', '4400012345']]);
    expect(scan('<p>Kontonummer 44000123456</p>')).toEqual([['us_bank_account', '44000123456']]);
    expect(scan('<p>ABA 0210-0002-1</p>')).toEqual([['aba_routing', '0210-0002-1']]);
  });

  it('finds IBANs grouped or compact without keywords, cutting at the country length', () => {
    expect(scan('<p>DE62 3704 0044 0532 0130 01 please</p>')).toEqual([
      ['iban', 'DE62 3704 0044 0532 0130 01'],
    ]);
    expect(scan('<p>GB55WEST12345698765433</p>')).toEqual([['iban', 'GB55WEST12345698765433']]);
    // The registry/Wikipedia example IBANs are documented examples, never incidents.
    expect(scan('<p>DE89 3704 0044 0532 0130 00 please</p>')).toEqual([]);
    expect(scan('<p>GB82WEST12345698765432</p>')).toEqual([]);
    expect(scan('<p>Ejemplo del manual: ES91 2100 0418 4502 0005 1332 — no lo usen.</p>')).toEqual([]);
    expect(scan('<p>NL91 ABNA 0417 1643 00</p>')).toEqual([]);
  });

  it('finds a NINO whether or not an earlier detector built the keyword index (the NINO gate uses it)', () => {
    const card = 'Card 4539 1488 0343 6467 exp 04/27.'; // the card detector asks for keywords first
    expect(only(`<p>${card}</p>`, 'credit_card')).toEqual(['4539 1488 0343 6467']);
    for (const before of ['', `${card} `]) {
      expect(only(`<p>${before}National Insurance number AB123456C</p>`, 'uk_nino')).toEqual(['AB123456C']);
      expect(only(`<p>${before}Reference AB123456C</p>`, 'uk_nino')).toEqual([]);
    }
  });

  it('types a passport by the nationality before it when one stands there, else by the one after', () => {
    expect(
      scan(
        "<p>for the visa letter: Dana's US passport number is 005132568, Tom's British passport number 109296813</p>",
      ),
    ).toEqual([
      ['us_passport', '005132568'],
      ['uk_passport', '109296813'],
    ]);
    expect(scan('<p>Passport number 109296813 (British citizen)</p>')).toEqual([
      ['uk_passport', '109296813'],
    ]);
  });

  it('types passports by nationality and NINOs in any format', () => {
    expect(scan('<p>US passport number: C03005988</p>')).toEqual([['us_passport', 'C03005988']]);
    expect(scan('<p>British passport 925076473</p>')).toEqual([['uk_passport', '925076473']]);
    expect(scan('<p>NI number: ab-12-34-56-c</p>')).toEqual([['uk_nino', 'ab-12-34-56-c']]);
    // Key names in code and JSON carry keywords ('_' separates words); bare "NI" only in upper case.
    expect(
      scan('<p>{"customer_ssn": "536-22-1234", "passport_no": "C03005988", "nationality": "US"}</p>'),
    ).toEqual([
      ['us_ssn', '536-22-1234'],
      ['us_passport', 'C03005988'],
    ]);
    expect(scan('<p>NI: AB 12 34 56 C</p>')).toEqual([['uk_nino', 'AB 12 34 56 C']]);
    expect(scan('<p>ni AB 12 34 56 C</p>')).toEqual([]);
  });

  it('finds emails (also mailto: hrefs once), phones with context or unmistakable format, and IPs', () => {
    expect(scan('<p><a href="mailto:jane@contoso.com">jane@contoso.com</a></p>')).toEqual([
      ['email', 'jane@contoso.com'],
    ]);
    expect(only('<p>Handy: +49 151 23456789</p>', 'phone_number')).toEqual(['+49 151 23456789']);
    expect(only('<p>(425) 555-0147</p>', 'phone_number')).toEqual(['(425) 555-0147']);
    expect(only('<p>host 10.0.0.5:8080 and 2001:db8::1</p>', 'ip_address')).toEqual([
      '10.0.0.5',
      '2001:db8::1',
    ]);
  });

  it('finds UK and German national numbers without a phone word, but not 12-digit groups, hex dumps or labelled ids', () => {
    expect(only('<p>UK payroll helpdesk: 020 3753 1320 (Mon–Fri 9:00–17:00)</p>', 'phone_number')).toEqual([
      '020 3753 1320',
    ]);
    expect(only('<p>Frau Wolf: 0171 7755467 wegen der Abrechnung</p>', 'phone_number')).toEqual([
      '0171 7755467',
    ]);
    expect(only('<p>Manchester 0161 388 9156, London 07956-582226</p>', 'phone_number')).toEqual([
      '0161 388 9156',
      '07956-582226',
    ]);
    expect(only('<pre>00000010: 0000 0280 0000 01e0 0806 0000 0035 d1dc</pre>', 'phone_number')).toEqual([]);
    expect(only('<p>Batch 0171 775546 7123 shipped</p>', 'phone_number')).toEqual([]);
    expect(only('<p>Order 0171 7755467 shipped today</p>', 'phone_number')).toEqual([]);
    expect(only('<p>mixed 0171 775 5467-12 separators</p>', 'phone_number')).toEqual([]);
  });

  it('finds international numbers in signatures whatever job title precedes them, and area/number and dashed national forms', () => {
    expect(only('<p>Marc Dubois | Customer Support | +44 20 8741 6293</p>', 'phone_number')).toEqual([
      '+44 20 8741 6293',
    ]);
    expect(only('<p>Priya Nair<br>Account Manager<br>+44 (0)161 832 4417</p>', 'phone_number')).toEqual([
      '+44 (0)161 832 4417',
    ]);
    expect(only('<p>Viele Grüße<br>Anna Weber<br>Tel. 089/21564380</p>', 'phone_number')).toEqual([
      '089/21564380',
    ]);
    expect(
      only('<p>Our Utrecht driver is on 06-48271935 if the parcel is late.</p>', 'phone_number'),
    ).toEqual(['06-48271935']);
    expect(only('<p>Tokyo support: 03-5412-7788</p>', 'phone_number')).toEqual(['03-5412-7788']);
    // The tail of a UPS tracking number is not a two-digit-code phone.
    expect(only('<p>UPS 1Z 4A8 12W 03 9876 5432.</p>', 'phone_number')).toEqual([]);
  });

  it('takes callback and help-desk words as phone context (Rückruf, rappeler, llamada, help desk)', () => {
    expect(only('<p>Rückruf bitte unter 0171 77554670</p>', 'phone_number')).toEqual(['0171 77554670']);
    expect(only('<p>Merci de rappeler le 01 42 68 53 00 00</p>', 'phone_number')).toEqual([
      '01 42 68 53 00 00',
    ]);
    expect(only('<p>Service desk: 2065 5501 3344</p>', 'phone_number')).toEqual(['2065 5501 3344']);
  });

  it('finds French numbers in dotted and dashed notation, which start like a date (06.48.27 …)', () => {
    expect(only('<p>Mon portable : 06.48.27.91.35 — dispo après 14h</p>', 'phone_number')).toEqual([
      '06.48.27.91.35',
    ]);
    expect(only('<p>Téléphone 06-48-27-91-35</p>', 'phone_number')).toEqual(['06-48-27-91-35']);
    expect(only('<p>rappel le 06.12.2025 à 14h</p>', 'phone_number')).toEqual([]);
  });

  it('takes quads after a name and a slash (user agents, download paths) and later quads near a version word for versions', () => {
    expect(
      only(
        '<code>Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0</code>',
        'ip_address',
      ),
    ).toEqual([]);
    expect(only('<p>get it from https://dl.contoso.com/agent/2.14.4.1/agent.zip</p>', 'ip_address')).toEqual(
      [],
    );
    expect(
      only('<p>Agent version 2.14.3.7 is the one with the memory leak; 2.14.4.1 fixes it.</p>', 'ip_address'),
    ).toEqual([]);
    // Addresses stay addresses: a URL host (after //), a host with a port, an address word nearer than the version.
    expect(only('<p>open http://10.0.0.5/admin and http://52.14.4.1:8443/x</p>', 'ip_address')).toEqual([
      '10.0.0.5',
      '52.14.4.1',
    ]);
    expect(
      only('<p>version 2.14.3.7 is deployed; the host 2.14.4.1 still runs the old one</p>', 'ip_address'),
    ).toEqual(['2.14.4.1']);
  });

  it("reads tcpdump's address.port as the address, and runbook step numbers as no address", () => {
    expect(
      only(
        '<pre>14:23:11.482913 IP 10.43.21.37.58156 &gt; 91.225.237.238.4444: Flags [S], seq 915933219</pre>',
        'ip_address',
      ),
    ).toEqual(['10.43.21.37', '91.225.237.238']);
    expect(only('<p>walk of OID 1.3.6.1.4 done</p>', 'ip_address')).toEqual([]);
    expect(only('<p>Runbook-Schritt 2.1.4.3 und runbook step 2.1.4.4</p>', 'ip_address')).toEqual([]);
  });

  it('keeps a host named by its role an address next to a build word (Build-Agent 10.103.9.239), and build and kernel numbers (noyau, núcleo) versions', () => {
    expect(only('<p>im Klartext (Build-Agent 10.103.9.239) gefunden</p>', 'ip_address')).toEqual([
      '10.103.9.239',
    ]);
    expect(only('<p>build server 192.168.10.20 is down</p>', 'ip_address')).toEqual(['192.168.10.20']);
    expect(only('<p>Fixed in build 4.2.1.3 of the agent</p>', 'ip_address')).toEqual([]);
    expect(
      only('<p>MAC du dock D7:77:88:0E:BE:7F bloqué à 14:32:07 ; noyau 5.15.0.87.</p>', 'ip_address'),
    ).toEqual([]);
  });

  it('keeps addresses near plugin, package or update words when an address word is nearer, or the address is 10.x or has a port', () => {
    expect(only('<p>The plugin cannot reach host 3.14.15.92</p>', 'ip_address')).toEqual(['3.14.15.92']);
    expect(only('<p>Das Paket liegt auf 10.0.0.5</p>', 'ip_address')).toEqual(['10.0.0.5']);
    expect(only('<p>Upgrading the router at 192.168.1.1 tonight</p>', 'ip_address')).toEqual(['192.168.1.1']);
    expect(only('<p>driver download from 4.2.2.1:8080</p>', 'ip_address')).toEqual(['4.2.2.1']);
    expect(
      only(
        '<p>Après la mise à jour en 2.0.1.3, le connecteur ne joint plus le serveur 20.30.40.41 (port 8443).</p>',
        'ip_address',
      ),
    ).toEqual(['20.30.40.41']);
  });

  it('still reports two addresses joined by "to" when the first is an address, not a version', () => {
    expect(only('<p>route traffic from 10.0.0.1 to 10.0.0.2 tonight</p>', 'ip_address')).toEqual([
      '10.0.0.1',
      '10.0.0.2',
    ]);
  });

  it('finds cloud credentials with their value conventions', () => {
    const key = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256)).toString('base64');
    const cs = `DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${key};EndpointSuffix=core.windows.net`;
    expect(scan(`<p>${cs};</p>`)).toEqual([['azure_storage_connection_string', cs]]);
    expect(scan(`<p>storage account key ${key}</p>`)).toEqual([['azure_storage_key', key]]);
    const sig = encodeURIComponent(
      Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 53 + 7) % 256)).toString('base64'),
    );
    expect(
      only(
        `<p>https://a.blob.core.windows.net/c/f?sv=2022-11-02&amp;sig=${sig}&amp;sp=r</p>`,
        'azure_sas_token',
      ),
    ).toEqual([sig]);
    expect(scan('<p>id AKIAZ7XQ2M4N5P6R7S3T secret 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</p>')).toEqual([
      ['aws_access_key_id', 'AKIAZ7XQ2M4N5P6R7S3T'],
      ['aws_secret_access_key', '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'],
    ]);
    // No '=' or ':' and no key id in the message: the AWS words alone open the gate.
    expect(
      scan('<p>the AWS secret access key is Tq9v2Lx8Kp4Rm7Wn3Zb6Yc1Hd5Jf0Ga8Se2Ui9Ok for now</p>'),
    ).toEqual([['aws_secret_access_key', 'Tq9v2Lx8Kp4Rm7Wn3Zb6Yc1Hd5Jf0Ga8Se2Ui9Ok']]);
    expect(scan('<p>secret: Abc8Q~x7Yq2Lm4Nn6Pp8Rr0Tt2Vv4Xx6Zz8Bb0Dd</p>')).toEqual([
      ['entra_client_secret', 'Abc8Q~x7Yq2Lm4Nn6Pp8Rr0Tt2Vv4Xx6Zz8Bb0Dd'],
    ]);
  });

  it('finds prefixed tokens, and reports only the password of a connection string or URI', () => {
    expect(scan(`<p>${ghToken}</p>`)).toEqual([['github_token', ghToken]]);
    expect(scan('<p>Server=db;User ID=sa;Password=Xk9#mQ2v!;Encrypt=true</p>')).toEqual([
      ['password_in_connection_string', 'Xk9#mQ2v!'],
    ]);
    expect(scan('<p>mongodb://app:Pa55w0rdZ9@mongo.internal:27017/db</p>')).toEqual([
      ['password_in_connection_string', 'Pa55w0rdZ9'],
    ]);
    expect(scan('<p>api_key = "a8F3kL9mQ2xZ7vB4nT6wR1yU"</p>')).toEqual([
      ['generic_api_key', 'a8F3kL9mQ2xZ7vB4nT6wR1yU'],
    ]);
    // Colon-only assignments (JSON, HTTP headers) take the cheaper trigger path: the name before ':' is checked.
    expect(scan('<codeblock><code>{ "apiKey": "k3J9dLq2ZxP8vN4mR7tW1yB6" }</code></codeblock>')).toEqual([
      ['generic_api_key', 'k3J9dLq2ZxP8vN4mR7tW1yB6'],
    ]);
    expect(scan('<p>Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZ</p>')).toEqual([
      ['generic_api_key', '9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZ'],
    ]);
  });
});

describe('DLP detectors: credentials in configuration files (fifth blind set)', () => {
  it('keeps a # inside a URI password (as people write generated passwords) and reports no e-mail from its tail', () => {
    expect(scan('<p>postgres://loyalty_app:Vt7ugOOFp#72AxC@loyalty-db.internal:5432/points</p>')).toEqual([
      ['password_in_connection_string', 'Vt7ugOOFp#72AxC'],
    ]);
  });

  it('ends a Redis connection-string password at the comma that separates its options', () => {
    expect(
      scan(
        '<code>cache.redis.cache.windows.net:6380,password=YMmvmPD7Xn7cJqL3r5zYfz,ssl=True,abortConnect=False</code>',
      ),
    ).toEqual([['password_in_connection_string', 'YMmvmPD7Xn7cJqL3r5zYfz']]);
    // With ';' separators a comma belongs to the password.
    expect(scan('<p>Server=db;Password=ab,cd9Xy!;Database=y</p>')).toEqual([
      ['password_in_connection_string', 'ab,cd9Xy!'],
    ]);
  });

  it('finds a PEM private key written inside JSON with \\n escapes, reported as written', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
      .trim();
    const escaped = pem.replace(/\n/g, '\\n');
    const json = `<pre><code>{ "type": "service_account", "private_key": "${escaped}\\n" }</code></pre>`;
    expect(scan(json)).toEqual([['private_key', escaped]]);
    // A truncated escaped block stays a negative.
    const truncated = escaped.replace(/(\\n[A-Za-z0-9+/=]+){3}\\n-----END/, '\\n-----END');
    expect(scan(`<p>"private_key": "${truncated.slice(0, 80)}...\\n-----END PRIVATE KEY-----"</p>`)).toEqual(
      [],
    );
  });

  it('takes values of password names in YAML, .env and command-line flags as generic keys', () => {
    expect(scan('<pre><code>data:\n  password: a2ZhMERGaWJOUWlUM1dEVHZoX0k=</code></pre>')).toEqual([
      ['generic_api_key', 'a2ZhMERGaWJOUWlUM1dEVHZoX0k='],
    ]);
    expect(scan("<pre><code>  smtp_auth_password: '_ND%trH3z0k2kbDLtcgN'</code></pre>")).toEqual([
      ['generic_api_key', '_ND%trH3z0k2kbDLtcgN'],
    ]);
    // With `=` a compound name ends in the contract's `Password=` (blind set 54: `storePassword=`), the more specific type.
    expect(scan('<pre><code>DB_PASSWORD=kfa0DF!bNQiT3WDTvh</code></pre>')).toEqual([
      ['password_in_connection_string', 'kfa0DF!bNQiT3WDTvh'],
    ]);
    expect(
      scan("<code>helm repo add c https://charts.example.net --password '*cQvMlqN8N8VJ%4!zSbYz*'</code>"),
    ).toEqual([['generic_api_key', '*cQvMlqN8N8VJ%4!zSbYz*']]);
  });

  it('takes a key written about in chat, in four languages: a key name, words on the same line, then the value after : or =', () => {
    const keys = (html: string) => only(html, 'generic_api_key');
    expect(keys('<p>API key for the weather widget: l9NojejL6Al1xZx8pvYVUYMxLPAvFoFn</p>')).toEqual([
      'l9NojejL6Al1xZx8pvYVUYMxLPAvFoFn',
    ]);
    expect(keys('<p>Zugangstoken = ab76fb9b1f564cc5cd29cd013c90ed9e9e32bff0</p>')).toEqual([
      'ab76fb9b1f564cc5cd29cd013c90ed9e9e32bff0',
    ]);
    expect(keys('<p>API-Schlüssel fürs Wetter-Widget: l9NojejL6Al1xZx8pvYVUYMxLPAvFoFn</p>')).toEqual([
      'l9NojejL6Al1xZx8pvYVUYMxLPAvFoFn',
    ]);
    expect(keys('<p>la clave de API del CRM: tyAQQowCa4Osrvef5hD9jukKpKE24PfO</p>')).toEqual([
      'tyAQQowCa4Osrvef5hD9jukKpKE24PfO',
    ]);
    expect(
      keys(
        '<p>La clé API de Mapbox expire demain, voilà la nouvelle&nbsp;: <code>qAa3VBmhaWiJuIbAGPHQ98GCZIICIoQZ</code></p>',
      ),
    ).toEqual(['qAa3VBmhaWiJuIbAGPHQ98GCZIICIoQZ']);
    expect(
      keys(
        "<p>le jeton d'accès pour l'API partenaires (valable 90 jours)&nbsp;: 26e68c509601b24362421488b3e817fb0d7f83f6</p>",
      ),
    ).toEqual(['26e68c509601b24362421488b3e817fb0d7f83f6']);
  });

  it('reads an assignment after a key named in chat as the assignment: the value without its name', () => {
    expect(
      only(
        '<p>Clave de API del proveedor de SMS: api_key=6e9c38af6d653b042dbb098254fcaa079a48bee9</p>',
        'generic_api_key',
      ),
    ).toEqual(['6e9c38af6d653b042dbb098254fcaa079a48bee9']);
  });

  it('ends an Entra secret at a full stop that ends the sentence, and takes a fine-grained PAT with _ in its tail', () => {
    expect(
      only(
        '<p>Client secret (valid 6 months): XIM5Q~huYfqEuSHKVPmG-qPfzgE_z8~xVESVvM4W. Tenant id is on the wiki.</p>',
        'entra_client_secret',
      ),
    ).toEqual(['XIM5Q~huYfqEuSHKVPmG-qPfzgE_z8~xVESVvM4W']);
    const pat =
      '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';
    expect(
      only(`<p>Fine-grained PAT for the release workflow: ${pat} — contents only</p>`, 'github_token'),
    ).toEqual([pat]);
  });

  it('reads the cells under a key-name column header of a table, and nothing under other headers', () => {
    const keys = (html: string) => only(html, 'generic_api_key');
    expect(
      keys(
        '<table><tr><th>Service</th><th>API key</th></tr><tr><td>pager-bridge</td><td>1mgzZRyMsoonW1X09YXli1LXiD8Mu9XL</td></tr>' +
          '<tr><td>status-page</td><td>&lt;rotate me&gt;</td></tr><tr><td>crm</td><td>Q7pL2xV9mN4rT8wK3zY6bH1c</td></tr></table>',
      ),
    ).toEqual(['1mgzZRyMsoonW1X09YXli1LXiD8Mu9XL', 'Q7pL2xV9mN4rT8wK3zY6bH1c']);
    for (const html of [
      '<table><tr><th>Key results</th><th>Owner</th></tr><tr><td>Roadmap2025FinalDraftV3x</td><td>Ana</td></tr></table>',
      '<table><tr><th>Service</th><th>Key ID</th></tr><tr><td>vault</td><td>3AA5C34371567BD2AB11</td></tr></table>',
      '<table><tr><th>Host</th><th>Public key</th></tr><tr><td>web01</td><td>MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE</td></tr></table>',
    ])
      expect(keys(html), html).toEqual([]);
  });

  it('leaves key words in prose alone: bare "key", other sentences and lines, ids, fingerprints, names, public keys, URLs', () => {
    for (const html of [
      '<p>the key point for Q4: Roadmap2025FinalDraftV3x</p>',
      '<p>API key ID: 3AA5C34371567BD2AB11</p>',
      '<p>the signing key fingerprint: 9F8E7D6C5B4A39281706F5E4D3C2B1A0</p>',
      '<p>public_key: MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE</p>',
      '<p>A token of appreciation. Next: Xk29sLq8Zp3mWn4Rt7Yv</p>',
      '<p>the keyboard layout: DE-QWERTZ-2024-layoutX9</p>',
      '<p>API key rotation is due<br>New build: 7f3a9c2e1b4d6f8a0c2e4b6d8f0a1c3e</p>',
      '<p>the secret name: prod-db-password-2024</p>',
      '<p>API key docs: https://developer.example.com/keys/abcdef1234567890</p>',
      '<p>Der Schlüssel für den Keller: Raum2024Schrank7B</p>',
      '<p>la clave del éxito: Trabajo2024EnEquipoX</p>',
      '<p>The API key expires at 9:00: rotate before then, ticket INC0012345678901</p>',
    ])
      expect(only(html, 'generic_api_key'), html).toEqual([]);
  });

  it('takes camel-case key names (PrivateKey, SessionToken) but not public keys', () => {
    const wg =
      '<pre><code>[Interface]\nPrivateKey = 4Y8S21/0FvzEK5TdoTDUTIc+7jS8Aitfp1a7LkMU2Cc=\n[Peer]\nPublicKey = 1iZ+ieAW6xlUKKPToHuWIc1vqiplp+e8bxrNfP5a7eE=</code></pre>';
    expect(scan(wg)).toEqual([['generic_api_key', '4Y8S21/0FvzEK5TdoTDUTIc+7jS8Aitfp1a7LkMU2Cc=']]);
    const sessionToken = `IQoJb3JpZ2luX2Vj${'aANJ2umeLP/7O5pntxoB/ctMLqetQPN+KquQH66x4y'.repeat(8)}`;
    expect(scan(`<pre><code>"SessionToken": "${sessionToken}",</code></pre>`)).toEqual([
      ['generic_api_key', sessionToken],
    ]);
  });

  it('leaves prose, placeholders, references and encrypted blobs under password names alone', () => {
    const sealed = `AgBUyj/jeo2NsW0ucib1bF6kwthMaoXqCKPHdcwFAmuPyESIfJ${'TLDK1klArH4KebUS38kQ/hGR6vzZT3vFySIRQ'.repeat(5)}`;
    for (const html of [
      '<p>my password Xk29dkeLQp3kFrw5WO is in the vault</p>',
      '<pre><code>POSTGRES_PASSWORD: changeme</code></pre>',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal compose/shell reference is the input
      '<pre><code>password: ${DB_PASSWORD}</code></pre>',
      '<pre><code>DB_PASS=%PASSWORD%</code></pre>',
      `<pre><code>encryptedData:\n    password: ${sealed}</code></pre>`,
    ])
      expect(scan(html), html).toEqual([]);
  });
});

describe('DLP detectors: the twenty-second to twenty-fourth blind sets', () => {
  it('keeps addresses in a version list when a port or an address word says so, and keeps labelled numbers of their type', () => {
    expect(only('<p>Versions in scope: proxy 9.2.1.0:8080</p>', 'ip_address')).toEqual(['9.2.1.0']);
    expect(
      only('<p>Upgraded the agent to version 2.4.1.0. The DNS server is 9.9.9.9 now.</p>', 'ip_address'),
    ).toEqual(['9.9.9.9']);
    expect(only('<p>Call me on 447911123456 tonight</p>', 'phone_number')).toEqual(['447911123456']);
    expect(only('<p>Ticket 4711, please call 4255550123</p>', 'phone_number')).toEqual(['4255550123']);
    expect(only('<p>routing number 021000021</p>', 'aba_routing')).toEqual(['021000021']);
    expect(only('<p>Employee SSN 477984866</p>', 'us_ssn')).toEqual(['477984866']);
    expect(only('<p>Employee ID 477-98-4866 (SSN)</p>', 'us_ssn')).toEqual(['477-98-4866']);
  });
});

describe('DLP detectors: the twenty-fifth blind set (Azure and Microsoft 365 administration)', () => {
  it('takes a quad as a version everywhere in a message once it is judged one, and after a name ending in "version"', () => {
    expect(
      only(
        '<pre>Microsoft Entra Connect          2.3.20.0\nAz.Accounts                      2.19.0</pre><p>Entra Connect 2.3.20.0 est la dernière version.</p>',
        'ip_address',
      ),
    ).toEqual([]);
    expect(
      only('<pre>{ "contentVersion": "1.0.0.0", "api_version": "2.1.0.4" }</pre>', 'ip_address'),
    ).toEqual([]);
    // An address stays one: another value, or a version-like name that is not a version name.
    expect(
      only('<p>Upgraded to version 2.4.1.0 today.</p><p>The DNS server is 9.9.9.9.</p>', 'ip_address'),
    ).toEqual(['9.9.9.9']);
    expect(only('<p>serverVersionHost: 192.168.10.4</p>', 'ip_address')).toEqual(['192.168.10.4']);
  });

  it('finds an e-mail address in a URL path, but not as the userinfo of a URI', () => {
    expect(
      only(
        '<pre>curl "https://graph.microsoft.com/v1.0/users/tlindqvist@pinecrestlabs.io/manager"</pre>',
        'email',
      ),
    ).toEqual(['tlindqvist@pinecrestlabs.io']);
    expect(
      only('<p>ssh://deploy@build01.contoso.com and ftp://user:pass@files.contoso.com</p>', 'email'),
    ).toEqual([]);
  });

  it('takes an E.164 number without separators as a phone, as configuration writes it', () => {
    expect(only('<pre>TWILIO_FROM_NUMBER=+17202745529</pre>', 'phone_number')).toEqual(['+17202745529']);
    expect(only('<pre>ratio=+1234567</pre>', 'phone_number')).toEqual([]);
  });
});

describe('DLP detectors: the twenty-sixth blind set (numbers in research and manufacturing)', () => {
  it('does not take a Luhn-valid EAN or GTIN for a card, nor requirement numbers and software versions for IPs', () => {
    expect(
      scan('<ul><li>nitrile gloves M — EAN 4164458537917</li><li>cryotubes (GTIN 4216275438578)</li></ul>'),
    ).toEqual([]);
    expect(scan('<p>Requirement 9.9.4.8 (traceability) is met. Control software 5.9.13.16.</p>')).toEqual([]);
    // A card or an address written so stays one.
    expect(only('<p>Card 4164458537917 for the conference fee</p>', 'credit_card')).toEqual([
      '4164458537917',
    ]);
    expect(only('<p>Install the software on 192.168.20.7 tonight</p>', 'ip_address')).toEqual([
      '192.168.20.7',
    ]);
  });
});

describe('DLP detectors: the twenty-eighth blind set (legal and privacy office)', () => {
  it('takes clause, article and records-series numbers for section numbers, not IPs', () => {
    expect(
      scan(
        "<p>Revisad la cláusula 14.2.3.1. Merci de reprendre l'article 4.2.1.3 du contrat. Records series 4.2.1.3 is kept 7 years; Series 4.2.1.4 covers grievances.</p>",
      ),
    ).toEqual([]);
    expect(
      only('<p>The access point 192.168.4.1 and the firewall rule for 10.20.30.40</p>', 'ip_address'),
    ).toEqual(['192.168.4.1', '10.20.30.40']);
  });
});

describe('DLP detectors: the thirtieth blind set (retail and logistics)', () => {
  it('takes a vendor-prefixed token under a token header, but not a lower-case resource name', () => {
    expect(
      only(
        '<pre>curl -H "X-Shopify-Access-Token: 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" https://x.myshopify.com</pre>',
        'generic_api_key',
      ),
    ).toEqual(['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']);
    expect(only('<pre>access_token: outlet-store-export-prod-weu-01</pre>', 'generic_api_key')).toEqual([]);
  });
});

describe('DLP detectors: Teams meeting invitations and call logs', () => {
  it('takes meeting and phone-conference ids in localised invitations for ids, and the dial-in numbers for phones', () => {
    const es =
      '<div><p>Reunión de Microsoft Teams</p><p>Id. de reunión: 245 871 093 562<br>Código de acceso: aB3dE9</p>' +
      '<p>Llamar (solo audio)</p><p>+34 917 94 87 75,,712345678# España, Madrid</p>' +
      '<p>Id. de conferencia telefónica: 712 345 6789#</p></div>';
    expect(only(es, 'phone_number')).toEqual(['+34 917 94 87 75']);
    const fr =
      '<div><p>Appel (audio uniquement)</p><p>ID de la réunion : 245 871 093 562</p><p>+33 1 70 37 97 29</p></div>';
    expect(only(fr, 'phone_number')).toEqual(['+33 1 70 37 97 29']);
  });

  it('takes call-log words (Anruf, appel) as phone context', () => {
    expect(only('<p>Verpasster Anruf von 0157 80387135 (extern)</p>', 'phone_number')).toEqual([
      '0157 80387135',
    ]);
    expect(only('<p>Appel manqué de 0612345678</p>', 'phone_number')).toEqual(['0612345678']);
  });

  it('takes a quad after the section sign for a clause number, not an IP', () => {
    expect(only('<p>see §4.3.2.1 of the DPA and § 7.2.1.4; server 10.2.3.4</p>', 'ip_address')).toEqual([
      '10.2.3.4',
    ]);
  });
});

describe('DLP detectors: telephony, travel, banking and vendor-support chat (lost sets 29, 31, 32 and probes)', () => {
  it('takes a quad right after an app, agent, MSI or installer word for that software version', () => {
    const rooms = '<p>Teams Rooms app 5.0.191.0 is on MTR-BER-01, the two in Madrid still run 5.1.170.0.</p>';
    expect(only(rooms, 'ip_address')).toEqual([]);
    const rollout =
      '<p>Rollout: collector agent 2.5.18.175 on 40 servers, MSI 3.0.29.236 staged in Intune, ' +
      'installer 4.12.8.233 withdrawn; the relay at 52.174.12.9 and agent on 10.20.1.7 are unchanged.</p>';
    expect(only(rollout, 'ip_address')).toEqual(['52.174.12.9', '10.20.1.7']);
    const fr = '<p>Le connecteur 2.1.154.0 plante ; IP du serveur 185.12.44.201</p>';
    expect(only(fr, 'ip_address')).toEqual(['185.12.44.201']);
    // A product's mobile app (set 181).
    const mobile =
      '<p>Concur mobile 8.108.5.9 broke receipt capture on iOS, rollback to the previous build.</p>';
    expect(only(mobile, 'ip_address')).toEqual([]);
    // A private address after the role word stays an address: versions do not start 10., 172.16-31. or 192.168.
    expect(only('<p>agent 10.20.1.7 and app 192.168.4.20 are down</p>', 'ip_address')).toEqual([
      '10.20.1.7',
      '192.168.4.20',
    ]);
  });

  it('takes utility meter and supply-point labels (MPRN, Zählernummer, PDL) for ids', () => {
    const meter =
      '<p>Final meter read: MPRN 7845123690, Zählernummer 4471203398, PDL 14526739018245. ' +
      'Call the tenant on 07700 900 123.</p>';
    expect(only(meter, 'phone_number')).toEqual(['07700 900 123']);
  });

  it('takes a Luhn-valid number right after an identifier label for that identifier, unless card words or an expiry are near', () => {
    expect(
      only('<p>Meta Pixel ID 4945807302157365 installed; Campaign ID: 5819303642621294</p>', 'credit_card'),
    ).toEqual([]);
    expect(only('<p>Customer 4945807302157365 exp 03/27</p>', 'credit_card')).toEqual(['4945807302157365']);
    expect(only('<p>Customer paid with 4945807302157365</p>', 'credit_card')).toEqual(['4945807302157365']);
  });

  it('takes callback as phone context', () => {
    expect(
      only("<p>Ticket #4471023: customer's callback number 0044 20 7946 0958</p>", 'phone_number'),
    ).toEqual(['0044 20 7946 0958']);
  });

  it('takes an MSISDN for a phone, not a card, even after an IMEI, and customer numbers for ids', () => {
    const sim =
      '<p>SIM swap: ICCID 8949 0200 0012 3456 789, IMSI 262011234567890, IMEI 35-209900-176148-1, ' +
      'MSISDN 491701234567</p>';
    expect(scan(sim)).toEqual([['phone_number', '491701234567']]);
    expect(scan('<p>MSISDN: 4915112345678 ported in, PIN 4471</p>')).toEqual([
      ['phone_number', '4915112345678'],
    ]);
    // "phone" here names the device, not the number.
    expect(scan('<p>IMEI of the lost phone: 861547647632791, reported to the carrier</p>')).toEqual([]);
    const porting = '<p>Portierung der Rufnummer 0170 3709063 zum 01.02.; Kundennummer 1002345678</p>';
    expect(only(porting, 'phone_number')).toEqual(['0170 3709063']);
  });

  it('takes a 3-3-4 number whose area code or exchange starts with 0 or 1 for no North American phone', () => {
    const ads =
      '<p>Google Ads: linked 482-193-5530 and 171-204-9981 to the MCC; call me at 415-555-0199.</p>';
    expect(only(ads, 'phone_number')).toEqual(['415-555-0199']);
    expect(only('<p>Tel. +1 (212) 155-0187 or (646) 555-0132</p>', 'phone_number')).toEqual([
      '(646) 555-0132',
    ]);
  });

  it('takes mobil as phone context (German signature)', () => {
    expect(only('<p>Viele Grüße<br>Jana Krüger<br>mobil 0170 3709 0633</p>', 'phone_number')).toEqual([
      '0170 3709 0633',
    ]);
  });

  it('takes 13+ digits with neither a + nor a trunk 0 for no phone, and frequent-flyer labels for ids', () => {
    const profile =
      '<table><tr><td>Miles &amp; More</td><td>992 000 273 878 122</td></tr>' +
      '<tr><td>Flying Blue</td><td>2104 658 337</td></tr>' +
      '<tr><td>Mobile</td><td>+49 171 2345678</td></tr></table>';
    expect(only(profile, 'phone_number')).toEqual(['+49 171 2345678']);
    const booking =
      '<p>Hotel conf. 84512239877, Buchungsnummer 3311208845. Traveller mobile +49 151 23456789.</p>';
    expect(only(booking, 'phone_number')).toEqual(['+49 151 23456789']);
  });

  it('takes a number right after a bare account word for a bank account when a routing number is named nearby', () => {
    expect(only('<p>Wire details: ABA 021000021, account 483920175566</p>', 'us_bank_account')).toEqual([
      '483920175566',
    ]);
    expect(only('<p>Routing: 021000021 / Account: 4839201755</p>', 'us_bank_account')).toEqual([
      '4839201755',
    ]);
    // Without a routing word, an account is a CRM or customer record.
    expect(only('<p>Account 4839201755 in Salesforce is a duplicate</p>', 'us_bank_account')).toEqual([]);
  });

  it("takes a passport's nationality from its own table row before the row above", () => {
    const table =
      '<table><tr><th>Name</th><th>Passport</th><th>Nationality</th></tr>' +
      '<tr><td>John Miller</td><td>533412987</td><td>US</td></tr>' +
      '<tr><td>Amy Clark</td><td>120394857</td><td>British</td></tr></table>';
    expect(scan(table).filter(([type]) => String(type).endsWith('passport'))).toEqual([
      ['us_passport', '533412987'],
      ['uk_passport', '120394857'],
    ]);
  });

  it('takes a number after a configuration key ending in Id or Number for that identifier', () => {
    const firebase =
      '<p>messagingSenderId: 36089623833 and projectNumber=36089623833 (ring me if the push test fails), ' +
      'supportPhoneNumber: 0170 3709 0633</p>';
    expect(only(firebase, 'phone_number')).toEqual(['0170 3709 0633']);
  });
});

describe('DLP detectors: the thirty-third blind set (telecom and telephony)', () => {
  it('reads a table cell by its column header: MSISDN names phones, ICCID and IMSI name no phones', () => {
    const table =
      '<table><tbody><tr><th>MSISDN</th><th>ICCID</th><th>IMSI</th></tr>' +
      '<tr><td>+44 161 3484 6648</td><td>894404677268373522</td><td>234155874738519</td></tr>' +
      '<tr><td>4416139575482</td><td>894491701521334289</td><td>234154054463116</td></tr>' +
      '<tr><td>07 07 65 73 39</td><td>8933 1856 2134 0934 3</td><td>208015271561978</td></tr></tbody></table>';
    expect(only(table, 'phone_number')).toEqual(['+44 161 3484 6648', '4416139575482', '07 07 65 73 39']);
  });

  it('takes a port range for no phone, and a phone word inside a host name for no phone context', () => {
    const sbc =
      '<p>sbc3.nordwelle-mobil.de: TLS 5061, RTP 45901-59026, Medien 49152\u201353247 UDP, ' +
      'Ticket 2406245909</p>';
    expect(only(sbc, 'phone_number')).toEqual([]);
  });

  it('finds German mobile numbers of 12 digits without a phone word, and under a plural label', () => {
    expect(only('<p>Felix Vogt\tf.vogt@kaltwasser.de\t0160 71814052</p>', 'phone_number')).toEqual([
      '0160 71814052',
    ]);
    expect(only('<p>Rufnummern:</p><ul><li>0160 52646906</li></ul>', 'phone_number')).toEqual([
      '0160 52646906',
    ]);
  });

  it('takes an account number for a bank account only with bank words in the message', () => {
    expect(
      only(
        '<p>Port-in accepted by the donor. Their account number 1202443784, porting PIN 330648.</p>',
        'us_bank_account',
      ),
    ).toEqual([]);
    expect(only('<p>Refund by wire: account number 1202443784</p>', 'us_bank_account')).toEqual([
      '1202443784',
    ]);
  });

  it('takes a quad after a software word and a product acronym for a version, not after a network acronym', () => {
    expect(only('<ul><li>App MTR <b>4.19.11.0</b></li><li>app VPN 52.1.2.3</li></ul>', 'ip_address')).toEqual(
      ['52.1.2.3'],
    );
  });
});

describe('DLP detectors: the thirty-fifth blind set (vendor support)', () => {
  it('takes every quad of a message about versions for a version when no network word is in it', () => {
    const ticket =
      '<p>Customer is on agent 7.13.6.197 (MSI build 5.10.3.3033). The fix shipped in 2.16.5.167, please upgrade.</p>';
    expect(only(ticket, 'ip_address')).toEqual([]);
    const es = '<p>INC-443772: el cliente tiene el agente 10.14.8.203 y el instalador MSI 5.4.4.5752.</p>';
    expect(only(es, 'ip_address')).toEqual([]);
    const table =
      '<p>Die Versionen aus beiden Umgebungen:</p><table><tr><td>Prod</td><td>5.2.1.231</td><td>Build 9243</td></tr>' +
      '<tr><td>Staging</td><td>1.2.4.131</td><td>Build 4285</td></tr></table>';
    expect(only(table, 'ip_address')).toEqual([]);
  });

  it('keeps private addresses not named by a software word in such a message (the forty-second set)', () => {
    const lab =
      '<p>Geräte im Labor B:</p><ul><li>Karl Fischer Titrator: 172.23.173.248</li>' +
      '<li>Waage XPR (Firmware 3.13.5.144)</li><li>Plattenleser: 172.26.187.179</li></ul>';
    expect(only(lab, 'ip_address')).toEqual(['172.23.173.248', '172.26.187.179']);
    const fr = "<p>Le client est en version 10.8.4.67 de l'agent, le correctif est dans la 10.4.8.109.</p>";
    expect(only(fr, 'ip_address')).toEqual([]);
    expect(only('<p>Steuergerät mit SW-Stand 10.3.6.26 flashen</p>', 'ip_address')).toEqual([]);
  });

  it('keeps addresses in such a message when a network word or a port is there', () => {
    const pump =
      '<p>Infusion pump drops off the network. It is at 10.118.17.111, firmware version 4.12.0.3.</p>';
    expect(only(pump, 'ip_address')).toEqual(['10.118.17.111']);
    expect(
      only('<p>agent 7.13.6.197 (build 5.10.3.3033) reports to 52.14.3.9:8443</p>', 'ip_address'),
    ).toEqual(['52.14.3.9']);
  });
});

describe('DLP detectors: the thirty-sixth and thirty-seventh blind sets (agencies, facilities)', () => {
  it('takes NANP-shaped numbers in a message about ad accounts for account ids, unless a phone word is near', () => {
    const fr = "<p>ID client Google Ads : 985-777-6596. Le compte de l'ancienne agence est 495-463-2202.</p>";
    expect(only(fr, 'phone_number')).toEqual([]);
    const en =
      '<p>Link account 686-604-4898 to our MCC 670-841-5557; call me on 415-555-0199 if it fails.</p>';
    expect(only(en, 'phone_number')).toEqual(['415-555-0199']);
  });

  it('takes dotted groups with a one-digit group for a version, not a phone', () => {
    expect(
      only('<p>Chrome 124.0.6367.94 on the test laptops, call 415.555.0199</p>', 'phone_number'),
    ).toEqual(['415.555.0199']);
  });

  it('reads an IP column as addresses and a firmware column as versions', () => {
    const table =
      '<table><tr><th>Controller</th><th>IP</th><th>Device instance</th><th>Firmware</th></tr>' +
      '<tr><td>AHU-01</td><td>10.3.12.49</td><td>1079332</td><td>5.8.0.109</td></tr>' +
      '<tr><td>Chiller</td><td>10.50.11.24</td><td>3136128</td><td>7.1.0.188</td></tr></table>';
    expect(only(table, 'ip_address')).toEqual(['10.3.12.49', '10.50.11.24']);
  });

  it('takes digits right after an IBAN head for that IBAN, not a card, even when the IBAN fails mod-97', () => {
    expect(scan('<p>Die IBAN DE45 5001 7517 5147 2078 70 ist ungültig</p>')).toEqual([]);
  });
});

describe('DLP detectors: the forty-third blind set (investor KYC)', () => {
  it('takes a bare 9-digit number right after a passport label for the passport, not for the SSN named after it', () => {
    const kyc = '<p>Für den US-Investor (KYC): U.S. passport no. 393684234, SSN 703-52-7534.</p>';
    expect(scan(kyc)).toEqual([
      ['us_passport', '393684234'],
      ['us_ssn', '703-52-7534'],
    ]);
    expect(only('<p>US passport holder, SSN 393684234</p>', 'us_ssn')).toEqual(['393684234']);
  });
});

describe('DLP detectors: ninth-session probes (UK payroll, query results, network configs)', () => {
  it('takes a customer-id label for an ad account id only right before a 3-3-4 number, not as a column elsewhere', () => {
    const sql =
      '<pre><code>customer_id | phone           | card_last4\n10483       | (206) 555-0147  | 9921\n10484       | 425-882-8080    | 1181\n</code></pre>';
    expect(only(sql, 'phone_number')).toEqual(['(206) 555-0147', '425-882-8080']);
    expect(only('<p>Customer ID 88213, reach her at (206) 555-0147</p>', 'phone_number')).toEqual([
      '(206) 555-0147',
    ]);
    expect(only('<p>Customer ID: 482-293-5530 (the new sub-account)</p>', 'phone_number')).toEqual([]);
  });

  it('lets a fake word mark the value it names, not a real value contrasted with it', () => {
    expect(only('<p>NI number JK 47 29 81 B (not the placeholder QQ 12 34 56 C).</p>', 'uk_nino')).toEqual([
      'JK 47 29 81 B',
    ]);
    expect(only('<p>Dummy rows are gone; the real SSN from the form is 536-22-8142.</p>', 'us_ssn')).toEqual([
      '536-22-8142',
    ]);
    const iban =
      "<p>Ignore the dummy IBAN DE00 1234; the supplier's account is DE44 5001 0517 5407 3249 31.</p>";
    expect(only(iban, 'iban')).toEqual(['DE44 5001 0517 5407 3249 31']);
    const bank =
      '<p>routing 021000021 and the redacted account ****6789; his real checking account is 004417283950</p>';
    expect(only(bank, 'us_bank_account')).toEqual(['004417283950']);
    // The fake word still marks the values it names, in a list or with "not a real" before them.
    expect(only('<p>Dummy data: NINO AB 12 34 56 C and JK 47 29 81 B</p>', 'uk_nino')).toEqual([]);
    expect(only('<p>Made-up SSNs for the deck: 536-22-8142, 219-45-6788</p>', 'us_ssn')).toEqual([]);
    expect(only("<p>That's not a real SSN, just 536-22-8142 from the training deck.</p>", 'us_ssn')).toEqual(
      [],
    );
  });

  it('reads comma-separated fields (CSV pastes), not grouped numbers or decimal parts', () => {
    const csv =
      '<p>name,phone,card,exp<br>Jane Roe,+49 170 3392817,4539148803436467,12/27<br>John Poe,0170 3392818,5425233430109911,01/28</p>';
    expect(scan(csv)).toEqual([
      ['phone_number', '+49 170 3392817'],
      ['credit_card', '4539148803436467'],
      ['phone_number', '0170 3392818'],
      ['credit_card', '5425233430109911'],
    ]);
    expect(scan('<p>id,name,account_number,routing_number<br>1,Jane Roe,004417283950,021000021</p>')).toEqual(
      [
        ['us_bank_account', '004417283950'],
        ['aba_routing', '021000021'],
      ],
    );
    expect(scan('<p>name,passport_no,nationality<br>Jane Roe,533380006,British</p>')).toEqual([
      ['uk_passport', '533380006'],
    ]);
    expect(scan('<p>Kontonummer Betrag: 1234567890,50 EUR überwiesen</p>')).toEqual([]);
    expect(scan('<p>bank account total 12,345,678,901 USD</p>')).toEqual([]);
  });

  it('lets a column header name every cell below it, however far down, and only its own column', () => {
    const rows = [
      ['Jane Roe', '004417283950', '021000021', '536-22-8142', '533380006'],
      ['John Poe', '118273645501', '026009593', '219-45-6788', '120382978'],
      ['Ann Lee', '992817364510', '011000138', '412-71-3309', '533380014'],
      ['Bo Diaz', '771625384910', '021000021', '601-18-2274', '120382986'],
      ['Cy Park', '128374650192', '026009593', '318-66-9051', '533380022'],
      ['Di Moss', '564738291045', '011000138', '245-90-1187', '120382994'],
      ['Ed Hart', '882736451029', '021000021', '529-33-7716', '533380030'],
      ['Flo Kim', '394857201934', '026009593', '148-52-6630', '120383000'],
    ];
    const header = ['Employee', 'Checking account', 'Routing number', 'SSN', 'UK passport'];
    const html = `<table><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr>${rows
      .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
      .join('')}</table>`;
    const found = engine.scanHtml(html, { occurrences: 'all' });
    const column = (i: number) => rows.map((r) => r[i]);
    const of = (type: string) => found.filter((m) => m.type === type).map((m) => m.value);
    expect(of('us_bank_account')).toEqual(column(1));
    expect(of('aba_routing')).toEqual(column(2));
    expect(of('us_ssn')).toEqual(column(3));
    expect(of('uk_passport')).toEqual(column(4));
    expect(found).toHaveLength(32);
  });

  it('reads the header of a pasted CSV or psql/Markdown table the same way', () => {
    const people = Array.from({ length: 10 }, (_, i) => [
      `Person ${i}`,
      `${['AB', 'CE', 'JK', 'LM', 'PR', 'ST', 'WX', 'YZ', 'HJ', 'KL'][i]} ${40 + i} ${85 - i} ${79 - i} ${'ABCD'[i % 4]}`,
    ]);
    const ninos = people.map((p) => p[1]);
    const csv = `<pre><code>name,ni_number\n${people.map((p) => p.join(',')).join('\n')}</code></pre>`;
    expect(only(csv, 'uk_nino')).toEqual(ninos);
    const md = `<pre><code>| name | ni_number |\n|---|---|\n${people.map((p) => `| ${p.join(' | ')} |`).join('\n')}</code></pre>`;
    expect(only(md, 'uk_nino')).toEqual(ninos);
    // A line of prose with as many commas is no CSV header.
    const prose = '<p>Hi Anna, NI numbers, as asked<br>Person 9, KL 49 76 70 B, done</p>';
    expect(only(prose, 'uk_nino')).toEqual(['KL 49 76 70 B']);
  });

  it("takes Gradle's signing passwords (a compound password name, a space, a quoted value), not prose", () => {
    const gradle =
      '<pre><code>signingConfigs {\n  release {\n    storeFile file("upload.jks")\n    storePassword "Wq7xPz9Lm2Kd8Rt4"\n    keyPassword \'Vn3bQ8sT1yX6cZ0m\'\n  }\n}</code></pre>';
    expect(only(gradle, 'generic_api_key')).toEqual(['Wq7xPz9Lm2Kd8Rt4', 'Vn3bQ8sT1yX6cZ0m']);
    expect(scan("<p>the admin password 'Vn3bQ8sT1yX6cZ0m' is in the vault</p>")).toEqual([]);
  });
});

describe('DLP detectors: the twenty-seventh blind set (pasted text)', () => {
  it('reads zero-width characters between digit groups as spaces, and reports the value as written', () => {
    const card = '4604\u200b5241\u200b9072\u200b5847';
    expect(only(`<p>Karte: ${card}</p>`, 'credit_card')).toEqual([card]);
    expect(only('<p>IBAN DE44\u20605001\u20600517\u20605407\u20603249\u206031</p>', 'iban')).toEqual([
      'DE44\u20605001\u20600517\u20605407\u20603249\u206031',
    ]);
  });

  it('ends a connection string before a closing typographic quote', () => {
    const key = 'S+/FqLzVEUUejXe/TG3NSBa3p0kDIbu4dP4kQcVdyl+4KeANVbSoLWbASaoQNcjjCsLo+6X/XB2AR/+p4vYNKg==';
    const conn = `DefaultEndpointsProtocol=https;AccountName=stcrm71;AccountKey=${key};EndpointSuffix=core.windows.net`;
    expect(
      only(`<p>App setting: \u201c<code>${conn}</code>\u201d</p>`, 'azure_storage_connection_string'),
    ).toEqual([conn]);
  });
});

describe('DLP detectors: hard negatives', () => {
  const negatives: Array<[string, string]> = [
    ['Luhn failure', '<p>card 4539 1488 0343 6468</p>'],
    [
      'processor test PANs',
      '<p>use 4111 1111 1111 1111, 4242 4242 4242 4242, 5555 5555 5555 4444, 3782 822463 10005, 6011 1111 1111 1117</p>',
    ],
    ['invalid SSN ranges', '<p>SSN 000-12-3456, SSN 666-12-3456, SSN 901-12-3456, SSN 536-00-1234</p>'],
    ['SSA example SSNs', '<p>SSN 078-05-1120 or 123-45-6789</p>'],
    ['9 digits without context', '<p>ticket 536221234 closed</p>'],
    ['GUIDs', '<p>tenant 72f988bf-86f1-41af-91ab-2d7cd011db47</p>'],
    ['git SHAs', '<p>commit 9fceb02d0ae598e95dc970b74767f19372d61af8</p>'],
    [
      'integrity hashes',
      '<p>sha512-7oQ0cG8RAXCm1m3y6rj/0BUaHMzNdbqrTjdaUjPgx2/Fl4CXcn8Fnb9ORP2SQqbT0xnDaHG8/TW0fQJ1sBnJxQ==</p>',
    ],
    ['version strings', '<p>version 1.2.3.4 and v10.0.0.1</p>'],
    [
      'a version range after an inflected verb, and section numbers in German',
      '<p>Upgrading the agent from 2.4.1.0 to 2.5.0.3 tonight. Siehe Abschnitt 4.2.1.3 und 4.2.1.4.</p>',
    ],
    [
      'version numbers next to update, driver and package words in four languages, and an SNMP OID',
      '<p>Agent auf 4.2.0.1 aktualisiert, Plugin auf 2.3.1.0. Treiber 6.4.12.2. Mise à jour : l’agent est passé en 2.0.1.3, le connecteur en 1.4.0.27. Agente actualizado a 1.8.0.2 y plugin a 3.0.2.14. The SNMP walk of 1.3.6.1 works.</p>',
    ],
    [
      'an account number of a CRM record next to "contact" (a phone keyword)',
      '<p>Account 42975896870 in Salesforce has a duplicate contact.</p>',
    ],
    [
      'a Stripe publishable key assigned to a key-like name',
      '<p>STRIPE_PUBLISHABLE_KEY=pk_live_8JN5V17kOpJw2YCRTOhhX1rvorHUbo9CHr</p>',
    ],
    [
      'a truncated Entra secret after "client secret"',
      '<p>Das Client Secret abc7Q~HIv67AMCUWq8tHd06Lyp ist zu kurz</p>',
    ],
    ['IMEIs', '<p>IMEI 356938035643809</p>'],
    [
      'placeholders',
      `<p>Password=&lt;your-password&gt;; api_key=${'$'}{API_KEY} token: XXXXXXXXXXXXXXXXXXXX secret=changeme</p>`,
    ],
    ['AWS documented example keys', '<p>AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</p>'],
    [
      'Azurite key',
      '<p>AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==</p>',
    ],
    [
      'Stripe documented key and publishable keys',
      '<p>sk_test_4eC39HqLyjWDarjtT1zdp7dc pk_live_51HxYzAbCdEfGhIjKlMnOpQr</p>',
    ],
    ['HMRC example NINO', '<p>NI number QQ 12 34 56 C</p>'],
    ['user:pass@host is not an email', '<p>ftp://user:pass@files.contoso.com</p>'],
    [
      'GitHub token with a wrong checksum',
      `<p>${ghToken.slice(0, 39)}${ghToken.endsWith('A') ? 'B' : 'A'}</p>`,
    ],
    ['data: URI images', '<p><img src="data:image/png;base64,QUtJQVo3WFEyTTRONVA2UjdTM1Q=" alt="x"></p>'],
    [
      'quads in a list under a versions heading, next to product names such as VPN and proxy',
      '<p>Versions in scope: EDR sensor 7.11.18.4, forwarder 9.2.1.0. Versionen im Bestand: Agent 7.14.2.18, Proxy-Appliance 11.2.4.1. Versions vulnérables : agent VPN 6.4.2.1.</p>',
    ],
    [
      'a file version mentioned after the assembly versions it belongs to',
      '<pre>[assembly: AssemblyFileVersion("2.4.1.0")]</pre><p>Explorer still shows 2.4.0.0 for the DLL.</p>',
    ],
    [
      'a compact 12-digit id whose only phone word is far away in a hostname',
      '<p>authDomain: "kh-mobile-prod.firebaseapp.com",<br>storageBucket: "kh-mobile-prod.appspot.com",<br>messagingSenderId: "659567718576",</p>',
    ],
    [
      'a compact number after an identifier label when the phone word is in the next sentence',
      "<p>Case reference from the bank for the recall: 2406245909. They'll call back on the AP team line.</p>",
    ],
    [
      'a routing-valid PO number after "routing" used as a verb, and a bare SSN-valid employee id',
      '<p>Routing this to procurement: PO 321227449 needs a second approver.</p><p>Employee ID 477984866 shows twice. The SSN is in Workday only.</p>',
    ],
  ];
  for (const [what, html] of negatives) {
    it(`does not report ${what}`, () => {
      expect(scan(html)).toEqual([]);
    });
  }
});

describe('AWS secret candidate scan', () => {
  it('finds exactly the spans of the reference regex (maximal 40-char base64 runs, same boundary rules)', () => {
    const reference = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=_-])/g;
    const piece = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9+/]{38,42}$/),
      fc.constantFrom(' ', '=', '_', '-', '.', ':', '"', '\n', 'a', '/'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const t = pieces.join('');
        const expected = [...t.matchAll(reference)].map((m) => m.index);
        const got: number[] = [];
        for (let p = nextBase64Run40(t, 0); p >= 0; p = nextBase64Run40(t, p + 40)) got.push(p);
        expect(got).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('word triggers', () => {
  it('give at least the bits of the reference regex (a prefilter may only widen), equal when words are apart', () => {
    const reference = (lower: string) => {
      const re =
        /defaultendpointsprotocol[ \t]{0,2}=|sig[ \t]{0,2}=|passw|pwd|secret|key|token|bearer|aws|amazon/g;
      let bits = 0;
      for (const m of lower.matchAll(re)) {
        const w = m[0];
        const b = w.startsWith('d')
          ? 1 << 0
          : w.startsWith('si')
            ? 1 << 1
            : w.startsWith('p')
              ? 1 << 2
              : w === 'secret'
                ? (1 << 3) | (1 << 4)
                : w === 'aws' || w === 'amazon'
                  ? 1 << 4
                  : 1 << 3;
        bits |= b;
      }
      return bits;
    };
    const word = fc.constantFrom(
      ...[
        'defaultendpointsprotocol',
        'defaultendpointsprotocol=',
        'defaultendpointsprotocol \t=',
        'sig=',
        'sig =',
        'sig\t =',
        'sig   =',
        'passw',
        'pwd',
        'secret',
        'key',
      ],
      ...['token', 'bearer', 'aws', 'amazon', 'design', 'the', 'a', '=', 'x', ' ', 'sig'],
      // Fragments around the anchor letters the search starts from (k, cr, w, z, g), glued into near misses.
      ...[
        'k',
        'ey',
        'to',
        'ken',
        'se',
        'cret',
        'cr',
        'a',
        'w',
        's',
        'p',
        'd',
        'pass',
        'ama',
        'zon',
        'si',
        'g',
      ],
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 10 }), (words) => {
        const glued = words.join('');
        const ref = reference(glued);
        expect(wordTriggerBits(glued) & ref).toBe(ref);
        const apart = words.join(' . ');
        expect(wordTriggerBits(apart)).toBe(reference(apart));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('connection-string pairs', () => {
  it('give the value a split/trim/lower-case Map of the pairs would give (last pair wins)', () => {
    const reference = (s: string, name: string) => {
      const pairs = new Map<string, string>();
      for (const part of s.split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0) pairs.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
      }
      return pairs.get(name);
    };
    const piece = fc.constantFrom(
      ...[
        'AccountName',
        'accountname',
        'ACCOUNTKEY',
        'AccountKey',
        ' AccountKey ',
        '\tAccountName',
        'Account',
      ],
      ...['=', ' = ', ';', '; ', 'abc', 'k3y==', 'x', '', 'EndpointSuffix=core.windows.net'],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const s = pieces.join('');
        for (const name of ['accountname', 'accountkey'])
          expect(connectionStringValue(s, name)).toBe(reference(s, name));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('key-name anchors', () => {
  it('are exactly the matches of /key|token|secret|bearer/g, in document order', () => {
    const word = fc.constantFrom(
      ...['key', 'token', 'secret', 'bearer', 'k', 'ey', 'to', 'ken', 'se', 'cret', 'cr', 'bear', 'er', 'b'],
      ...['tokenkey', 'secretkey', 'keytoken', 'api', '_', '-', ' ', 'x', 'monkey'],
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), (words) => {
        const lower = words.join('');
        const expected = [...lower.matchAll(/key|token|secret|bearer/g)].flatMap((m) => [
          m.index,
          m[0].length,
        ]);
        expect(keyNameAnchors(lower)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('literal triggers', () => {
  it('are set exactly when the literal occurs (searched from its rarest character)', () => {
    // Bits as the plain substring searches define them: T_GH, T_NPM, T_STRIPE, T_VENDOR (from `sk-` and Mailgun's
    // `key-`), T_EYJ.
    const reference = (t: string) =>
      (/gh[pousr]_|github_pat_/.test(t) ? T_GH : 0) |
      (t.includes('npm_') || t.includes('_authToken') ? T_NPM : 0) |
      (t.includes('k_live_') || t.includes('k_test_') ? T_STRIPE : 0) |
      (t.includes('sk-') || t.includes('key-') ? T_VENDOR : 0) |
      (t.includes('eyJ') ? T_EYJ : 0);
    const mask = T_GH | T_NPM | T_STRIPE | T_VENDOR | T_EYJ;
    const piece = fc.constantFrom(
      ...['gh', 'p', 'o', 'r', 'x', '_', 'ghp_', 'gho_', 'github', 'github_pat_', '_pat_', 'npm', 'np', 'm_'],
      ...['_authToken', '_auth', 'k_live_', 'k_test_', 'sk', 'k', '-', 's', 'sk-', 'e', 'y', 'J', 'eyJ', ' '],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const t = pieces.join('');
        // SG. also sets T_VENDOR; keep it out so the bit comes from `sk-` alone.
        fc.pre(!t.includes('SG.'));
        expect(new ScanContext(t).triggers & mask).toBe(reference(t));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('digit-run statistics', () => {
  // The definition of a digit run (context.ts), and the statistics computed the obvious way.
  const DIGIT_RUN_RE = /(?<![A-Za-z0-9_]{2})\d(?:[ \-./()+]{0,2}\d)*/g;
  const reference = (t: string) => {
    let joined = 0;
    let consecutive = 0;
    let dots = 0;
    let spaced = 0;
    for (const m of t.matchAll(DIGIT_RUN_RE)) {
      for (const part of m[0].match(/\d(?:[ -]?\d)*/g) ?? [])
        spaced = Math.max(spaced, part.replace(/\D/g, '').length);
      joined = Math.max(joined, m[0].replace(/\D/g, '').length);
      for (const digits of m[0].match(/\d+/g) ?? []) consecutive = Math.max(consecutive, digits.length);
      dots = Math.max(dots, m[0].split('.').length - 1);
    }
    return { joined, consecutive, dots, spaced };
  };
  const piece = fc.constantFrom(
    ...[
      '1',
      '23',
      '456',
      ' ',
      '  ',
      '-',
      '.',
      '/',
      '(',
      ')',
      '+',
      '..',
      '. ',
      'a',
      'AB',
      '_',
      'x1',
      '\u00a0',
      '\n',
      ',',
    ],
  );

  it('agree with a plain reference on any mix of digits, separators and letters', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const t = pieces.join('');
        const ctx = new ScanContext(t);
        expect({
          joined: ctx.maxJoinedDigits,
          consecutive: ctx.maxConsecutiveDigits,
          dots: ctx.maxDotsInRun,
          spaced: ctx.maxSpacedDigits,
        }).toEqual(reference(ctx.view));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('digit gates of the NINO and IBAN detectors', () => {
  // The gates may only skip texts in which the detector would find nothing: the same detector on a context whose
  // gates are forced open must find exactly the same.
  const noise = fc.array(
    fc.constantFrom(
      ...[
        'x',
        'ab',
        'NI number ',
        'nino: ',
        'IBAN ',
        ' ',
        '-',
        '.',
        '/',
        '\u00a0',
        '\u2013',
        '7',
        '12',
        '\n',
      ],
    ),
    { maxLength: 5 },
  );
  // NINO-shaped: prefix, three digit pairs and a suffix, with random separators (valid or not) between the parts.
  const sep = fc.constantFrom('', '', ' ', '-', '.', '  ', '\u00a0', '\u2013');
  const pair = fc.constantFrom('12', '34', '56', '00', '9');
  const nino = fc
    .tuple(
      fc.constantFrom('AB', 'ab', 'CE', 'QQ', 'x'),
      sep,
      pair,
      sep,
      pair,
      sep,
      pair,
      sep,
      fc.constantFrom('C', 'c', 'D', 'E'),
    )
    .map((parts) => parts.join(''));
  // Valid (mod-97) IBANs that are not documented examples, compact and grouped.
  const iban = fc.constantFrom(
    'DE44500105175407324931',
    'DE44 5001 0517 5407 3249 31',
    'FR7630006000011234567890189',
    'GB29-NWBK-6016-1331-9268-19',
  );
  const text = fc
    .tuple(noise, fc.oneof(nino, iban), noise, fc.oneof(nino, fc.constant('')), noise)
    .map((parts) => parts.join(''));
  const openGates = (t: string) => {
    const ctx = new ScanContext(t);
    Object.defineProperty(ctx, 'maxSpacedDigits', { value: 1000 });
    Object.defineProperty(ctx, 'hasLettersThenDigits', { value: true });
    return ctx;
  };
  const findings = (detectorId: string, ctx: ScanContext) => {
    const detector = engine.detectors.find((d) => d.id === detectorId);
    if (detector === undefined) throw new Error(`no detector ${detectorId}`);
    const out: Array<{ start: number; end: number }> = [];
    detector.scan(ctx, out as never);
    return out.map((m) => [m.start, m.end]);
  };

  it('measure the longest run of digits joined by single spaces or dashes (dates and dotted runs do not count)', () => {
    expect(new ScanContext('NI AB 12 34 56 C').maxSpacedDigits).toBe(6);
    expect(new ScanContext('SSN 123-45-6789').maxSpacedDigits).toBe(9);
    expect(new ScanContext('on 12.3.2025 at 2:30').maxSpacedDigits).toBe(4);
    expect(new ScanContext('call 12  34 56').maxSpacedDigits).toBe(4);
    expect(new ScanContext('AB123456C').maxSpacedDigits).toBe(0); // glued to its letters: not a digit run
    expect(new ScanContext('AB123456C').hasLettersThenDigits).toBe(true);
    expect(new ScanContext('see you at 10:30, ticket #4711').hasLettersThenDigits).toBe(false);
  });

  it('never hide a NINO or an IBAN that the detector finds with the gates forced open', () => {
    fc.assert(
      fc.property(text, (t) => {
        for (const id of ['uk_nino', 'iban']) {
          expect(findings(id, new ScanContext(t))).toEqual(findings(id, openGates(t)));
        }
      }),
      { numRuns: 3000 },
    );
  });

  // Card numbers in irregular groups (the card detector's loose pass): Luhn-valid and not, 13-19 digits in groups of
  // one to six joined by the separators the pass accepts and some it does not.
  const cardGroups = fc
    .tuple(
      fc.constantFrom(
        '4539148803436467',
        '5425233430109903',
        '378282246310005',
        '4111111111111111',
        '6011000990139424',
      ),
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.constantFrom(' ', '-', '  ', '.', '\u00a0', '\u2013', '/'), { minLength: 8, maxLength: 8 }),
    )
    .map(([digits, sizes, seps]) => {
      let out = '';
      let at = 0;
      for (let k = 0; k < sizes.length && at < digits.length; k++) {
        out += digits.slice(at, at + (sizes[k] as number)) + (seps[k] as string);
        at += sizes[k] as number;
      }
      return out + digits.slice(at);
    });
  const cardText = fc
    .tuple(noise, fc.constantFrom('', 'card ', 'Kreditkarte: '), cardGroups, noise)
    .map((parts) => parts.join(''));

  it('never hide a card in irregular groups that the card detector finds with the spaced-digits gate forced open', () => {
    fc.assert(
      fc.property(cardText, (t) => {
        expect(findings('credit_card', new ScanContext(t))).toEqual(findings('credit_card', openGates(t)));
      }),
      { numRuns: 3000 },
    );
  });

  it('let spaced and compact NINOs through', () => {
    for (const nino of ['AB 12 34 56 C', 'AB-12-34-56-C', 'AB123456C', 'ab 12 34 56 c'])
      expect(only(`<p>NI number: ${nino}</p>`, 'uk_nino')).toEqual([nino]);
  });
});

describe('DLP detectors: the forty-ninth to fifty-fourth blind sets (UK public sector, analysts, fintech, e-mail, mobile)', () => {
  it('takes only the brands the contract lists (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay) for cards', () => {
    const txn =
      "<p>HMRC payment went with reference 793PT132625892505; the bank's transaction id is 8259 1130 3130 0769.</p>";
    expect(scan(txn)).toEqual([]);
    expect(only('<p>card 4539 1488 0343 6467</p>', 'credit_card')).toEqual(['4539 1488 0343 6467']);
  });

  it('takes a dotted quad with a currency after it (or before it) for a sum, and driver or compound app words for software', () => {
    expect(scan('<p>Personalkosten laut Budget: 2.236.211.115,00 €, davon UK 355.954.237,14 €.</p>')).toEqual(
      [],
    );
    expect(scan('<p>Importe total: 1.161.215.129,61 EUR</p>')).toEqual([]);
    expect(only('<p>server 10.20.30.41, budget € 2.236.211.115</p>', 'ip_address')).toEqual(['10.20.30.41']);
    expect(scan('<p>ça marche avec ODBC Driver 17.10.4.1 et Simba Spark ODBC 2.15.5.113</p>')).toEqual([]);
    expect(scan('<p>Kassen-App 2.6.35.244 ist im Store</p>')).toEqual([]);
  });

  it('takes a number named by an NHS label for no phone, whatever its layout', () => {
    expect(scan('<p>OH referral: NHS number 467-883-7973, DOB 07/05/1993.</p>')).toEqual([]);
    expect(only('<p>NHS number 485 777 3456, call her on 467-883-7973</p>', 'phone_number')).toEqual([
      '467-883-7973',
    ]);
  });

  it('takes a country code in parentheses as written: (+34) 720762277', () => {
    expect(only('<p>telefono: (+34) 720762277</p>', 'phone_number')).toEqual(['(+34) 720762277']);
    expect(only('<p>Contacto (+34) 950 97 97 17</p>', 'phone_number')).toEqual(['(+34) 950 97 97 17']);
  });

  it("takes a compound password name before = for the contract's Password= (keystore.properties), not a directory in env output", () => {
    const props =
      '<pre><code>storePassword=K8Mo2EIXDsUWedqIJ\nkeyPassword=2pqhhH-*FtoZ\nkeyAlias=upload</code></pre>';
    expect(scan(props)).toEqual([
      ['password_in_connection_string', 'K8Mo2EIXDsUWedqIJ'],
      ['password_in_connection_string', '2pqhhH-*FtoZ'],
    ]);
    expect(scan('<p>env: PWD=/home/ana OLDPWD=/home/ana/src HOME=/home/ana</p>')).toEqual([]);
    // Before ':' a compound is a key name (blind set 5: smtp_auth_password:), the generic type.
    expect(only("<p>smtp_auth_password: '_ND%trH3z0k2kbDLtcgN'</p>", 'generic_api_key')).toEqual([
      '_ND%trH3z0k2kbDLtcgN',
    ]);
  });

  it('takes meeting numbers, access codes and incident numbers for ids, and toll-free and 00-prefixed numbers for phones', () => {
    expect(scan('<p>Meeting number (access code): 2154 866 5443<br>Meeting password: czHxFnueu</p>')).toEqual(
      [],
    );
    expect(scan('<p>Numéro de la réunion (code d’accès): 2814 406 9940</p>')).toEqual([]);
    const carrier =
      '<p>Störung ist aufgemacht, Störungsnummer 1950383229. Hotline vom Carrier-NOC: 040 98651121</p>';
    expect(only(carrier, 'phone_number')).toEqual(['040 98651121']);
    expect(only('<p>Numéro vert: 0 800 17 43 62</p>', 'phone_number')).toEqual(['0 800 17 43 62']);
    expect(
      only('<p>pueden contactar con Marta (marta@vidal.es, 0034 958 192 842).</p>', 'phone_number'),
    ).toEqual(['0034 958 192 842']);
  });

  it('takes build settings, OS names and 0.x quads for no address, and Passport.js for no passport', () => {
    expect(scan('<p>versionName stays 3.14.7.41 for the internal track; targetSdk 34</p>')).toEqual([]);
    expect(scan('<p>Inventaire : NX-OS 9.3(12) sur le fabric et AireOS 8.10.130.0 sur le reste</p>')).toEqual(
      [],
    );
    expect(scan('<p>Stand: AireOS auf 8.5.192.0, Switches bleiben auf 16.12.10a.</p>')).toEqual([]);
    // An operating system's version makes the message one about versions (no network word in it).
    expect(
      scan('<p>Stand Updates: FortiGates auf FortiOS 7.2.8 build1639, ASDM auf 7.15.2.168.</p>'),
    ).toEqual([]);
    const ospf =
      '<pre><code>router ospf 10\n router-id 10.255.3.32\n network 10.136.177.0 0.0.0.255 area 10\n area 0.0.0.1 nssa</code></pre>';
    expect(only(ospf, 'ip_address')).toEqual(['10.255.3.32', '10.136.177.0']);
    expect(only('<p>Kestrel listens on 0.0.0.0:8080</p>', 'ip_address')).toEqual(['0.0.0.0']);
    const passportJs =
      '<p>Sign in with Apple via passport-apple (Passport.js) fails for US App Store users since build 6.28.3 (411658694).</p>';
    expect(scan(passportJs)).toEqual([]);
    expect(only('<p>US passport-number: 411658694</p>', 'us_passport')).toEqual(['411658694']);
  });

  it('takes no PowerShell variable for a password and no hash of a secret for a key; finds a key in a storage SDK credential', () => {
    expect(scan('<pre><code>$pwd = Get-Secret -Name SqlAdmin -AsPlainText</code></pre>')).toEqual([]);
    const baseline =
      '<pre><code>"hashed_secret": "5faf69689eabd4a266c657cf18fb36ffffd0dda9",\n"is_verified": false</code></pre>';
    expect(scan(baseline)).toEqual([]);
    const key = '08j48AIVqFio2Kd/SAO9wnpT8qRJ7h9sM4gP1orlTCyJukhYjhUTagSalWfxaYZW493/D1wIHu5yzsOk5Oubgw==';
    const csharp = `<pre><code>var cred = new StorageSharedKeyCredential("stmediadev22", "${key}");</code></pre>`;
    expect(only(csharp, 'azure_storage_key')).toEqual([key]);
  });

  it('takes a public quad in a clause that names a version for a version, and a lot number for no phone', () => {
    expect(scan('<p>Version du firmware du variateur après mise à jour : 1.15.19.164.</p>')).toEqual([]);
    expect(
      scan('<p>La versión del firmware del switch industrial es 5.0.9.145; la del módulo es 3.2.1.</p>'),
    ).toEqual([]);
    expect(
      scan('<p>WinCC OA 5.11.24.235 ist freigegeben, Patch P025 bitte noch nicht einspielen.</p>'),
    ).toEqual([]);
    expect(
      scan(
        '<p>Versiones instaladas en la célula: controlador del robot 9.20.9.227, pinza servo 7.18.9.138.</p>',
      ),
    ).toEqual([]);
    // The version word must be in the quad's clause, and an address word nearer wins.
    expect(only('<p>Firmware updated. The gateway is 52.14.3.9 now.</p>', 'ip_address')).toEqual([
      '52.14.3.9',
    ]);
    expect(only('<p>firmware version check from host 198.51.100.7</p>', 'ip_address')).toEqual([
      '198.51.100.7',
    ]);
    expect(scan('<p>Supplier contact: a@b.de. Affected lot 2320425410, 513 pcs on hold.</p>')).toEqual([
      ['email', 'a@b.de'],
    ]);
  });

  it('gives a 40-character value to the name it is assigned to, reads wstoken and Hugging Face tokens, and no ECLI tail as a phone', () => {
    const env =
      '<pre><code>AWS_ACCESS_KEY_ID=AKIAOM2FSX3KO5LZRVPV\nAWS_SECRET_ACCESS_KEY=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\nPERMITS_API_TOKEN=ezs950pPAyiDrsSY0OXnRf3NoCB3jxUtolkWtR7x</code></pre>';
    expect(scan(env)).toEqual([
      ['aws_access_key_id', 'AKIAOM2FSX3KO5LZRVPV'],
      ['aws_secret_access_key', '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'],
      ['generic_api_key', 'ezs950pPAyiDrsSY0OXnRf3NoCB3jxUtolkWtR7x'],
    ]);
    const moodle =
      '<pre><code>curl "https://moodle.example.ac.uk/webservice/rest/server.php?wstoken=319ae9f14a521289791c923046368ba2&amp;wsfunction=x"</code></pre>';
    expect(only(moodle, 'generic_api_key')).toEqual(['319ae9f14a521289791c923046368ba2']);
    expect(
      only(
        '<pre><code>export HF_TOKEN=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</code></pre>',
        'generic_api_key',
      ),
    ).toEqual(['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']);
    expect(scan("<p>L'avocat cite ECLI:FR:CECHR:2022:065972.20210322.</p>")).toEqual([]);
  });

  it('takes module and platform versions for versions, date-coded runs and e-ticket columns for no phones', () => {
    const kiosk =
      '<p>After the update they report:</p><ul><li>Platform 9.5.4.181</li><li>Scale module 1.0.10.166</li><li>LAN MAC 17:A2:E5:2A:D1:A9</li></ul><p>Vendor says 9.5.4.181 fixes the jam.</p>';
    expect(scan(kiosk)).toEqual([]);
    expect(
      scan(
        '<p>Änderungen sind fett (Planungslauf 2024081108). Crew-Hotline wie immer über die Zentrale.</p>',
      ),
    ).toEqual([]);
    expect(only('<p>Tel. 2024081108</p>', 'phone_number')).toEqual(['2024081108']);
    const tickets =
      '<table><tr><th>Pax</th><th>Old ETKT</th></tr><tr><td>PAX 3</td><td>006 5817766288</td></tr></table>';
    expect(scan(tickets)).toEqual([]);
  });

  it('takes NPI, DEA and MRN labels for identifiers, not phones (probe of clinical chat)', () => {
    expect(only('<p>on-call phone 217-555-0177, NPI 1234567893, MRN 0048392011</p>', 'phone_number')).toEqual(
      ['217-555-0177'],
    );
  });

  it('takes a quad after a software word in the cell before for a version; no Helm checksum or cut-off token for a key; a CSI storage key', () => {
    const matrix =
      '<table><tr><th>component</th><th>current</th><th>target</th></tr><tr><td>.NET agent</td><td>4.4.0.0</td><td>latest</td></tr></table>';
    expect(scan(matrix)).toEqual([]);
    const helm =
      '<pre><code>annotations:\n  checksum/secret: db9aba4dfb0ee1048bbab3c935db8aceff25964b7cfca7761cc891a67fe190a7</code></pre>';
    expect(scan(helm)).toEqual([]);
    expect(scan('<pre><code>"SessionToken": "IQoJb3JpZ2luX2VjEOrTaYdH5hjYk…",</code></pre>')).toEqual([]);
    const key = 'PI1M+oDvYeaxynB/86Tv7K2NsYsOHkQJ7RX3eiul4JBt3vpEflakWCk3quzXQnanir2r/IiUhXPsvNayLKD8TA==';
    const csi = `<pre><code>stringData:\n  azurestorageaccountname: stlynxprod355\n  azurestorageaccountkey: ${key}</code></pre>`;
    expect(only(csi, 'azure_storage_key')).toEqual([key]);
  });

  it('takes -ware products, the French "est en" and a mobile platform after the quad for versions', () => {
    expect(scan('<p>Shop läuft jetzt auf Shopware 6.6.9.2<br>Plugins sind alle kompatibel</p>')).toEqual([]);
    expect(
      scan('<p>commande #1585 passée<br>PrestaShop est en 1.7.8.10, il faudrait passer en 8</p>'),
    ).toEqual([]);
    expect(scan('<p>La app de reservas 6.2.1.31 en Android 15 se cierra al pagar.</p>')).toEqual([]);
    expect(scan('<p>Application Maison Lumen 3.5.18.119, iOS 17.4 : écran blanc.</p>')).toEqual([]);
    // An address stays one: "sur" a host, or a platform word in another sentence.
    expect(only('<p>Le site est sur 52.14.3.9. Android 15 plante.</p>', 'ip_address')).toEqual(['52.14.3.9']);
  });

  it('reads versions in maintenance messages and German stays-on idioms, and keeps addresses with their port word', () => {
    expect(scan('<p>Wartungsfenster Samstag: Java 17.0.12.3. Danach bitte Smoke-Test.</p>')).toEqual([]);
    expect(scan('<p>Mise en prod ce soir : moteur de règles 8.9.2.187, front 4.2.2.</p>')).toEqual([]);
    expect(scan('<p>Subimos el motor de tarificación a la 5.3.5.23 esta noche.</p>')).toEqual([]);
    const smgw =
      '<p>SMGW-Update: Firmware 4.8.29.185 auf 514 Gateways ausgerollt, Rest bleibt auf 7.21.51.208.</p>';
    expect(scan(smgw)).toEqual([]);
    const rtu =
      '<ul><li>RTU 1 : 172.21.3.202 (port 2404), firmware 7.22.45.77</li><li>RTU 2 : 10.65.24.95 (port 2404), firmware 6.0.56.232</li></ul><p>La passerelle reste sur 10.19.203.102.</p>';
    expect(only(rtu, 'ip_address')).toEqual(['172.21.3.202', '10.65.24.95', '10.19.203.102']);
  });

  it('takes Unix timestamps for no phones, German DIN extensions and NHS lists as written', () => {
    expect(scan('<ul><li>Publication timestamp 1728930659</li></ul><p>call the desk if needed</p>')).toEqual(
      [],
    );
    expect(only('<p>Telefon 030 2344-6419, mobil 0171 2345678</p>', 'phone_number')).toEqual([
      '030 2344-6419',
      '0171 2345678',
    ]);
    const nhs = '<p>NHS numbers with the NHS assigning authority: 617 221 7992, 419 600 5969.</p>';
    expect(scan(nhs)).toEqual([]);
  });

  it('takes EUI-64 device addresses for no IPv6, and fw keys and FW columns for versions', () => {
    expect(scan('<p>Device 00:17:88:01:93:e2:99:ca, PAN 0x5D7B, channel 16.</p>')).toEqual([]);
    expect(only('<p>gateway fe80::217:88ff:fe01:93e2 and 2001:db8:0:0:1:0:0:1</p>', 'ip_address')).toEqual([
      'fe80::217:88ff:fe01:93e2',
      '2001:db8:0:0:1:0:0:1',
    ]);
    expect(scan('<pre><code>{ "rssi": -89, "fw": "8.4.249.132" }</code></pre>')).toEqual([]);
    const returns =
      '<table><tr><th>Serial</th><th>FW</th></tr><tr><td>SN955503640432</td><td>5.30.177.206</td></tr></table>';
    expect(scan(returns)).toEqual([]);
  });

  it('takes logistics, company, coupon and creditor-reference ids for no phones or cards', () => {
    expect(
      scan('<p>DHL waybill 7200377380, should reach the bank by 2025-06-25. Please call me tomorrow.</p>'),
    ).toEqual([]);
    expect(scan('<p>LTA 001-89698081 : 5 colis, 159 kg</p>')).toEqual([]);
    expect(only('<p>Gutachter Tel. 040-27208756</p>', 'phone_number')).toEqual(['040-27208756']);
    expect(scan('<p>Falta el palé con SSCC 354272662703641844 en la recepción.</p>')).toEqual([]);
    expect(scan('<p>Fiche fournisseur : SIRET 36216271100026, code APE 4941A.</p>')).toEqual([]);
    expect(
      scan('<p>la victime a lu les codes au téléphone.</p><ul><li>Transcash : 199369072878</li></ul>'),
    ).toEqual([]);
    expect(scan('<p>indiquer la référence structurée RF51 0522 6293 194 sur le virement.</p>')).toEqual([]);
  });

  it('reads upgrade idioms, release notes and bill-of-quantities positions for versions and positions', () => {
    expect(
      scan(
        '<p>EDI translator upgraded to 8.19.9.164; mapping set is now 2.6.29.180.</p><p>Release notes mention the fix.</p>',
      ),
    ).toEqual([]);
    expect(
      scan('<p>Hay que actualizar los codificadores a la 9.1.3.146 antes de las elecciones.</p>'),
    ).toEqual([]);
    expect(scan('<p>LV-Positionen: OZ 02.09.0025 (Schalung) und OZ 6.6.7.84 (Bewehrung)</p>')).toEqual([]);
    // A private address stays one: "upgraded to" alone does not name a version there.
    expect(
      only('<p>Our relay moved; the clients upgraded to 10.20.30.41 yesterday.</p>', 'ip_address'),
    ).toEqual(['10.20.30.41']);
  });

  it('takes stream keys and random-case letter tokens for keys, a plain secret name for no AWS secret, Message-IDs for no e-mails', () => {
    expect(
      only(
        '<p>serveur rtmp://145.156.87.188/live, stream key : live_977240684_SNEErOH5n2O9W487s8Zri9VfJdciZ3</p>',
        'generic_api_key',
      ),
    ).toEqual(['live_977240684_SNEErOH5n2O9W487s8Zri9VfJdciZ3']);
    expect(only('<ul><li>Stream key: vvUfYBGjGRgELhKEOINC</li></ul>', 'generic_api_key')).toEqual([
      'vvUfYBGjGRgELhKEOINC',
    ]);
    expect(
      scan('<pre><code>$secure = ConvertTo-SecureString $plain -AsPlainText -Force</code></pre>'),
    ).toEqual([]);
    const env =
      '<pre><code>STRIPE_SECRET_KEY=sk_live_DALK57dAfGJ7cAtRsmef55MV9NsToWCG\nSESSION_SECRET=IfulXuGCXQHKqC7uPdB2NZZsiu8FyRdOA1Y8O0VI</code></pre>';
    expect(only(env, 'aws_secret_access_key')).toEqual([]);
    expect(only(env, 'generic_api_key')).toEqual(['IfulXuGCXQHKqC7uPdB2NZZsiu8FyRdOA1Y8O0VI']);
    expect(
      scan('<pre><code>Message-ID: &lt;6945980042471C.CXH8DC6M@office365-mailbox-quota.com&gt;</code></pre>'),
    ).toEqual([]);
  });

  it("lets a fake lure (page, site, refund) leave the victim's real values reported", () => {
    const parcel =
      '<p>paid a £1.45 fee on a fake Royal Mail page with the corporate card:</p><blockquote><p>Card number: 4618 4242 0954 5241<br>Expiry: 11/28</p></blockquote>';
    expect(only(parcel, 'credit_card')).toEqual(['4618 4242 0954 5241']);
    expect(
      only(
        '<div>La web falsa usa Firebase: <code>AIzaSy-KdGtXb6VNcONBeQr6Zkj_t1TSzdkJ94D</code></div>',
        'google_api_key',
      ),
    ).toEqual(['AIzaSy-KdGtXb6VNcONBeQr6Zkj_t1TSzdkJ94D']);
    expect(scan('<p>Fake card for the demo: 4618 4242 0954 5241</p>')).toEqual([]);
  });

  it('reads the fifth wave: an assignment as a value, a password starting with %, tax ids, v-versions and dev kits', () => {
    expect(
      only('<p>signing secret: webhook_secret=whsec_uvWwd7lMtcW9rb5aebPITdUox5BOWmTP</p>', 'generic_api_key'),
    ).toEqual(['whsec_uvWwd7lMtcW9rb5aebPITdUox5BOWmTP']);
    expect(
      only(
        '<p>Server=sql01;User ID=svc_orders;Password=%X4ieh%Gc3vQcy;Encrypt=True</p>',
        'password_in_connection_string',
      ),
    ).toEqual(['%X4ieh%Gc3vQcy']);
    expect(scan('<p>Server=sql01;Password=%DB_PASSWORD%;</p>')).toEqual([]);
    expect(
      scan(
        '<p>Steuer-ID für die Freistellung: 93995455363 (bitte nicht mit der Kontonummer verwechseln).</p>',
      ),
    ).toEqual([]);
    expect(scan('<p>Billing worker 7.12.5.227 fixed the proration bug; portal still on v4.1.1</p>')).toEqual(
      [],
    );
    expect(
      only(
        '<p>Das Devkit hängt unter <code>24.105.151.186</code>. Build 4.6.4.46845 lässt sich nicht deployen.</p>',
        'ip_address',
      ),
    ).toEqual(['24.105.151.186']);
  });

  it('takes a WireGuard PresharedKey for a key', () => {
    const wg =
      '<pre><code>[Peer]\nPresharedKey = W8dWnNHT3gYuvDlmvVMLvCEtjInyk8o9rypDNaJsoE8=\nEndpoint = 109.162.35.69:51820</code></pre>';
    expect(only(wg, 'generic_api_key')).toEqual(['W8dWnNHT3gYuvDlmvVMLvCEtjInyk8o9rypDNaJsoE8=']);
  });

  it('takes a token reference or requestor id for no secret, and a SIRET layout for no card without a card word', () => {
    expect(scan('<ul><li>Token reference: DNITHEVO2TRPYVSNHUOUGXJY0K8JRC</li></ul>')).toEqual([]);
    expect(scan('<p>Fiche commerçant : SIRET 387 971 294 05525, code NAF 47.91B</p>')).toEqual([]);
    expect(only('<p>Diners card 387 971 294 05525</p>', 'credit_card')).toEqual(['387 971 294 05525']);
  });
});

describe('DLP detectors: tenth-session probes (capital markets, transcripts, science, localization, low-code, bot alerts)', () => {
  // A Logic Apps / Power Automate HTTP-trigger URL: `sig` is an HMAC-SHA256 in unpadded base64url (43 characters); the
  // URL alone lets anyone run the flow, as a storage SAS lets anyone read the blob.
  const logicAppsSig = Buffer.from(
    Array.from({ length: 32 }, (_, i) => (i < 3 ? [0xfb, 0xef, 0xbe][i] : (i * 91 + 29) % 256) as number),
  ).toString('base64url');

  it('reads a full-width plus as a plus, so a phone written in full-width characters keeps its country code', () => {
    expect(only('<p>電話：＋８１ ３－１２３４－５６７８</p>', 'phone_number')).toEqual([
      '＋８１ ３－１２３４－５６７８',
    ]);
    expect(only('<p>電話：+81 3-1234-5678</p>', 'phone_number')).toEqual(['+81 3-1234-5678']);
  });

  it('takes the sig of a Logic Apps or Power Automate trigger URL (unpadded base64url of 32 bytes) for a SAS token', () => {
    expect(logicAppsSig).toHaveLength(43);
    expect(logicAppsSig).toMatch(/[-_]/);
    const url = `https://prod-12.westeurope.logic.azure.com:443/workflows/0b5f2c3a9d4e4f6a8b7c1d2e3f405162/triggers/manual/paths/invoke?api-version=2016-10-01&amp;sp=%2Ftriggers%2Fmanual%2Frun&amp;sv=1.0&amp;sig=${logicAppsSig}`;
    expect(only(`<p>${url}</p>`, 'azure_sas_token')).toEqual([logicAppsSig]);
    expect(only(`<p><a href="${url}">flow trigger</a></p>`, 'azure_sas_token')).toEqual([logicAppsSig]);
  });

  it('does not take a sig of another length or alphabet, or a placeholder, for a Logic Apps SAS', () => {
    expect(only(`<p>…/invoke?sv=1.0&amp;sig=${logicAppsSig.slice(0, 40)}</p>`, 'azure_sas_token')).toEqual(
      [],
    );
    expect(only(`<p>…/invoke?sv=1.0&amp;sig=${logicAppsSig}x</p>`, 'azure_sas_token')).toEqual([]);
    expect(only(`<p>…/invoke?sv=1.0&amp;sig=${'x'.repeat(43)}</p>`, 'azure_sas_token')).toEqual([]);
    expect(
      only('<p>…/invoke?sv=1.0&amp;sig=YOUR_SIGNATURE_HERE_xxxxxxxxxxxxxxxxxxxxxxxx</p>', 'azure_sas_token'),
    ).toEqual([]);
  });
});

describe('DLP detectors: the eighty-fourth to eighty-eighth blind sets (transcripts, science, localization, low-code, bot alerts)', () => {
  it('takes an app-setting or workflow reference (`@Microsoft.KeyVault(…)`, `@parameters(…)`, `@{…}`) for no password', () => {
    expect(
      scan(
        '<p>SqlPassword=@Microsoft.KeyVault(SecretUri=https://kv-flows-prod.vault.azure.net/secrets/SqlPassword/)<br>StripeKey=@Microsoft.KeyVault(VaultName=kv-flows-prod;SecretName=StripeKey)</p>',
      ),
    ).toEqual([]);
    expect(scan("<p>Password=@parameters('sqlPassword')</p>")).toEqual([]);
    expect(scan("<p>Password=@{body('Get_secret')?['value']}</p>")).toEqual([]);
    // A real password that starts with `@` is still one.
    expect(only('<p>Server=db01;Password=@Kx9!vQ2m;</p>', 'password_in_connection_string')).toEqual([
      '@Kx9!vQ2m',
    ]);
  });

  it('takes a number whose first group is a date (`20240403-418057`) for a dated id, even in a "Call" column', () => {
    const table =
      '<table><tr><th>Call</th><th>Issue</th></tr><tr><td>20240403-418057</td><td>PAN captured in transcript</td></tr></table>';
    expect(only(table, 'phone_number')).toEqual([]);
    expect(only('<p>Call ref 20240827-743520 was escalated</p>', 'phone_number')).toEqual([]);
    expect(only('<p>call me on +49 30 1234567 or 030-12345678</p>', 'phone_number')).toEqual([
      '+49 30 1234567',
      '030-12345678',
    ]);
  });

  it('keeps an address that an address word names when "freigegeben" means approved, not released', () => {
    expect(
      only(
        '<p>Der Kunde hat unsere feste IP für den SFTP-Zugang freigegeben: 185.64.170.149. Zugriff ab Montag</p>',
        'ip_address',
      ),
    ).toEqual(['185.64.170.149']);
    expect(only('<p>WinCC OA 5.11.24.235 ist freigegeben.</p>', 'ip_address')).toEqual([]);
  });

  it('takes a quad after a line that starts with a version label for a version, private range or not', () => {
    expect(only('<p>Version de memoQ sur les postes : 10.4.6.2</p>', 'ip_address')).toEqual([]);
    expect(only('<p>Versión del cliente en los puestos: 10.2.0.14</p>', 'ip_address')).toEqual([]);
    expect(only('<p>Le serveur de licences memoQ : 10.4.6.2</p>', 'ip_address')).toEqual(['10.4.6.2']);
  });

  it('takes a quad after "upgraded <what> to" for the version installed, and a Spanish driver word for software', () => {
    expect(
      only('<p>we upgraded the SQL connector to 1.0.3.2 and the gateway to 3000.214.7</p>', 'ip_address'),
    ).toEqual([]);
    expect(only('<p>we upgraded the edge firewall to 185.22.1.4</p>', 'ip_address')).toEqual(['185.22.1.4']);
    expect(
      only(
        '<p>En el portátil de campo hay QGIS 3.28.15, gvSIG 2.6 y el controlador 2.4.0.121 del receptor.</p>',
        'ip_address',
      ),
    ).toEqual([]);
  });
});

describe('DLP detectors: the eighty-ninth to ninety-fourth blind sets (procurement, trust and safety, threat intel, FP&A, 2FA, scripts)', () => {
  it('takes a renewal or a seller called fake for the lure, not the values victims were asked for', () => {
    expect(
      only(
        '<p>Callback phishing wave (BazarCall style): fake Geek Squad renewal, victims asked to call +1 (853) 576-8924.</p>',
        'phone_number',
      ),
    ).toEqual(['+1 (853) 576-8924']);
    expect(
      only(
        '<p>Refund ticket RPT-271870: the user was charged by the fake "premium badge" seller.</p><p>Card they used: Discover 6011 8267 1555 1224.</p>',
        'credit_card',
      ),
    ).toEqual(['6011 8267 1555 1224']);
    expect(only('<p>use the fake card 6011 8267 1555 1224 for the demo</p>', 'credit_card')).toEqual([]);
  });

  it('takes a label right before a nine-digit number (DUNS, UEI, CAGE) for that id, not an SSN', () => {
    const t =
      "<p>Two nine-digit numbers on the DD 254 package, don't mix them up: DUNS 656332210 is the company, SSN 687-35-0378 is the FSO's own.</p>";
    expect(only(t, 'us_ssn')).toEqual(['687-35-0378']);
  });

  it("takes Duo's `skey` for a key name (its `ikey` is an identifier)", () => {
    const t =
      '<pre>[radius_server_auto]\nikey=DIWJ8X6AEYOR5OMC6TQ1\nskey=KTsXY0rTlGDcwuRCYq4nQjNEBcLMWxUmq0Yaxvb3\napi_host=api-06b25cc2.duosecurity.com</pre>';
    expect(only(t, 'generic_api_key')).toEqual(['KTsXY0rTlGDcwuRCYq4nQjNEBcLMWxUmq0Yaxvb3']);
  });

  it('takes paragraph references, Java versions, dotted sums with an amount word and lettered section lists for no address', () => {
    expect(
      only('<p>IFRS 15 memo, see para 4.3.9.7 of the group accounting manual.</p>', 'ip_address'),
    ).toEqual([]);
    expect(only('<p>Java 17.0.10.7 on the build server.</p>', 'ip_address')).toEqual([]);
    expect(
      only(
        '<p>Le total des produits s’élève à 1.181.118.192 (format US mal importé, les séparateurs sont des points).</p>',
        'ip_address',
      ),
    ).toEqual([]);
    expect(
      only(
        '<p>Compliance matrix comments: 3.2.1.4 is missing the transition plan, 3.2.1.5 needs the staffing table, and L.4.2.1 is fine.</p>',
        'ip_address',
      ),
    ).toEqual([]);
    // Spanish `para` is "for": it names no paragraph.
    expect(only('<p>Abrir el puerto 443 para 185.22.1.4 en el firewall.</p>', 'ip_address')).toEqual([
      '185.22.1.4',
    ]);
    expect(only('<p>total traffic from host 185.100.200.150 was 3 GB</p>', 'ip_address')).toEqual([
      '185.100.200.150',
    ]);
  });

  it('does not take "côté serveur" or "server side" for an address word naming the quad', () => {
    expect(
      only(
        "<p>L'application Authenticator est en version 6.2410.6413 sur le poste, et ADSync 2.3.20.0 côté serveur.</p>",
        'ip_address',
      ),
    ).toEqual([]);
    expect(
      only('<p>ADSync version 2.3.20.0 server-side, agent 1.4.2.9 client-side</p>', 'ip_address'),
    ).toEqual([]);
    expect(only('<p>le serveur 185.22.1.4 côté DMZ</p>', 'ip_address')).toEqual(['185.22.1.4']);
  });

  it('takes a Russian number with its trunk 8 (8 (916) 805-97-10) whole, as written', () => {
    expect(
      only('<p>Contactos: Lucía +34 657 470 433 · Сергей 8 (916) 805-97-10</p>', 'phone_number'),
    ).toEqual(['+34 657 470 433', '8 (916) 805-97-10']);
    expect(only('<p>Сергей: +7 (916) 805-97-10</p>', 'phone_number')).toEqual(['+7 (916) 805-97-10']);
    expect(only('<p>call the NY office (212) 555-0101</p>', 'phone_number')).toEqual(['(212) 555-0101']);
  });

  it('takes a national number with a trunk 0 in a 3-3-4 layout for a phone (not a malformed NANP id)', () => {
    expect(only('<p>Avi en Israël : 052-779-8007 (שעון ישראל)</p>', 'phone_number')).toEqual([
      '052-779-8007',
    ]);
    expect(only('<p>Google Ads customer 482-193-5530</p>', 'phone_number')).toEqual([]);
  });
});

describe('DLP detectors: the ninety-fifth to hundredth blind sets (medical billing, schools, SIM, mainframe, e-mail operations)', () => {
  it('reads X12 qualifiers: SY names an SSN, and a bank account follows its DA or SG qualifier', () => {
    const claim =
      '<pre>Their companion guide wants the subscriber SSN in a REF*SY:\nNM1*IL*1*PETROV*DMITRI****MI*MBR627563195~\nREF*SY*781478550~\nREF*EI*472082438~</pre>';
    expect(only(claim, 'us_ssn')).toEqual(['781478550']);
    const era =
      '<pre>The BPR has our old routing number 280576561 and checking account 6403910203.\nBPR*I*1358.95*C*ACH*CCP*01*251319469*DA*97428164*1273494929**01*280576561*DA*6403910203*20261020~</pre>';
    expect(only(era, 'us_bank_account')).toEqual(['6403910203']);
  });

  it('takes the Chromebook addresses of an asset-tag list, and a quad under a section or policy number in a message with an OID for none', () => {
    const list =
      '<p>These Chromebooks keep getting kicked:</p><p>A830889 — 10.28.169.231</p><p>TAG 55311 — 10.23.197.210</p><p>A289104 — 10.11.15.58</p>';
    expect(only(list, 'ip_address')).toEqual(['10.28.169.231', '10.23.197.210', '10.11.15.58']);
    expect(only('<p>git tag 2.4.1.0 pushed</p>', 'ip_address')).toEqual([]);
    expect(
      only(
        '<p>Board policy 6.9.4.4 covers device use; see also AR 5528.2. OID for the cert template is 1.3.6.1.4.1.311.21.8.1002699.</p>',
        'ip_address',
      ),
    ).toEqual([]);
  });

  it('takes a German area code written with spaces around the slash (030 / 2562 4987) for a phone', () => {
    expect(only('<p>Tel. 030 / 2562 4987</p>', 'phone_number')).toEqual(['030 / 2562 4987']);
  });

  it('takes placeholder domains (xxxx) and message ids named in any language for no e-mail address', () => {
    expect(only('<p>Modèle : prenom.nom@xxxx.fr pour chaque parent</p>', 'email')).toEqual([]);
    expect(
      only(
        '<p>Message-ID aus der Beschwerde: &lt;5a5390bdcb66e153.520664@mta2.news.brightwave-shop.de&gt;, Queue-ID VfLPP53qFsoi.</p>',
        'email',
      ),
    ).toEqual([]);
    expect(
      only(
        '<p>ID del mensaje que reclamó el cliente: &lt;8de2590ad37c79ff86bb@mkt.brightwave-shop.es&gt;</p>',
        'email',
      ),
    ).toEqual([]);
    expect(only('<p>From: Brightwave &lt;newsletter@brightwave-shop.de&gt;</p>', 'email')).toEqual([
      'newsletter@brightwave-shop.de',
    ]);
  });

  it('takes the addresses of SPF ip4: and ip6: mechanisms, and a Mailgun key-… value for a key', () => {
    expect(
      only(
        '<p>TXT "v=spf1 ip4:196.144.247.90 ip6:2607:f8b0:c3c2:87d::c1 include:spf.mandrillapp.com -all"</p>',
        'ip_address',
      ),
    ).toEqual(['196.144.247.90', '2607:f8b0:c3c2:87d::c1']);
    expect(
      only(
        "<pre>curl -s --user 'api:key-86ab53c3791281238a2ef080f64f41b0' https://api.eu.mailgun.net/v3/x/messages</pre>",
        'generic_api_key',
      ),
    ).toEqual(['key-86ab53c3791281238a2ef080f64f41b0']);
  });

  it('takes cell identities, zero-padded record ids and JCL symbolic parameters for no phone or password', () => {
    expect(
      only('<p>NR cell NCI 7276997785 keeps flapping, gNB-ID 613239, PCI 259.</p>', 'phone_number'),
    ).toEqual([]);
    expect(
      only('<pre>CUST-HOME-PHONE is PIC 9(10):\n0008048342 WOZNIAK      3126004759 GA</pre>', 'phone_number'),
    ).toEqual(['3126004759']);
    expect(scan("<pre>//         PARM='%DSNTIAUL DB2P PASSWORD=&amp;DB2PW'</pre>")).toEqual([]);
  });
});

describe('DLP detectors: the hundred-and-first to hundred-and-sixth blind sets (SEPA, MRO, telephony, AD, bank files, publishing)', () => {
  it('does not let a not-IP word of an earlier sentence name a quad (a link appended after "Firmware v2.9.17.3.")', () => {
    expect(
      only(
        '<p>Der Zugang zum Drehkreuz-Controller: <a href="https://172.20.15.77/admin">Weboberfläche</a>, Firmware v2.9.17.3.</p>',
        'ip_address',
      ),
    ).toEqual(['172.20.15.77']);
  });

  it('takes part-number labels and section-number words for ids and sections, and "we are on <product>" for a version', () => {
    expect(
      only(
        '<p>Ich wollte die Softwareversion laden, PN 9738635-156. Kann die IT mal auf Port 24 schauen? Tel. intern</p>',
        'phone_number',
      ),
    ).toEqual([]);
    expect(
      only('<p>Die Abschnittsnummer 5.0.0.5 im Instandhaltungshandbuch wurde geändert.</p>', 'ip_address'),
    ).toEqual([]);
    expect(
      only(
        "<p>OJS migration status: new prod VM is up at 138.140.52.46, staging stays on 172.16.132.135. We're on OJS 3.4.0.5 now.</p>",
        'ip_address',
      ),
    ).toEqual(['138.140.52.46', '172.16.132.135']);
  });

  it("takes Twilio's magic test numbers and resource SIDs for no phone or key, and a caller id or a compact 00 number for a phone", () => {
    expect(
      only(
        '<p>Use +15005550006 as From in test mode; +15005550001 is invalid, +15005550009 cannot route.</p>',
        'phone_number',
      ),
    ).toEqual([]);
    expect(
      only(
        '<p>Created a new API key <code>SKa06c3a32fca5e17e99147e8e6bb78b23</code> (friendly name ci-deploy).</p>',
        'generic_api_key',
      ),
    ).toEqual([]);
    expect(only('<p>caller ID +17023269169. Opened INC-2291.</p>', 'phone_number')).toEqual(['+17023269169']);
    expect(
      only(
        '<pre>registrar: sip3.ovh.fr\nusername: 0033125364556\nsecret=RuBAdzqgz4XtLlmE</pre>',
        'phone_number',
      ),
    ).toEqual(['0033125364556']);
  });

  it('takes a password setting of Active Directory (PrincipalsAllowedToRetrieveManagedPassword = …) for no password', () => {
    expect(
      scan(
        '<p>PrincipalsAllowedToRetrieveManagedPassword = GG-SQL-Hosts (S-1-5-21-3623811015-3361044348-30300820-1013)</p>',
      ),
    ).toEqual([]);
    expect(only('<p>Server=db01;Password=Kx9!vQ2m;</p>', 'password_in_connection_string')).toEqual([
      'Kx9!vQ2m',
    ]);
  });

  it("takes an IBAN in an MT940 ?31 subfield, glued to the subfield's code", () => {
    expect(
      only(
        '<pre>:86:166?00GUTSCHRIFT?20EREF+X?30COBADEFFXXX?31DE59500105171813760326?32MAX MUSTER</pre>',
        'iban',
      ),
    ).toEqual(['DE59500105171813760326']);
  });
});

describe('DLP detectors: the hundred-and-seventh to hundred-and-twelfth blind sets (chat exports, FinOps, e-discovery, logs, panels)', () => {
  it('keeps the client address of an access-log line and an address after a rate-limit jail name', () => {
    const log =
      '<pre>212.219.105.60 - - [01/Dec/2026:21:40:56 -0500] "GET /healthz HTTP/1.1" 200 47822 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36"</pre>';
    expect(only(log, 'ip_address')).toEqual(['212.219.105.60']);
    expect(only('<pre>NOTICE [nginx-limit-req] Ban 31.219.83.81</pre>', 'ip_address')).toEqual([
      '31.219.83.81',
    ]);
    expect(only('<p>requirement 9.9.4.8 (traceability) and req 9.9.4.9</p>', 'ip_address')).toEqual([]);
  });

  it('does not let a fake or redaction word of the next sentence mark a value', () => {
    expect(
      only(
        '<p>and a UnionPay card 6243744911246129. Both need to be redacted in the Excel natives too.</p>',
        'credit_card',
      ),
    ).toEqual(['6243744911246129']);
    expect(only('<p>card 6243744911246129 (redacted copy)</p>', 'credit_card')).toEqual([]);
  });
});

describe('DLP detectors: the hundred-and-thirteenth to hundred-and-eighteenth blind sets (terminals, tax, libraries, pharmacies, CRM, firmware)', () => {
  it('takes an ISBN-10 or ISBN-13 with its hyphens and a valid check digit for no phone number, even after a phone word', () => {
    expect(
      only(
        '<p>Office de la semaine : ISBN 978-4-49851-752-3 (x5), 978-28-70500-60-6 (x2). Le distributeur annonce 3-996-86254-7 épuisé.</p>',
        'phone_number',
      ),
    ).toEqual([]);
    expect(only('<p>Office: 3-996-86254-7</p>', 'phone_number')).toEqual([]);
    expect(only('<p>Bureau : 04 72 10 30 30</p>', 'phone_number')).toEqual(['04 72 10 30 30']);
  });

  it("reads MID and TID (a payment terminal's merchant and terminal ids) as identifier labels", () => {
    expect(only('<p>Händler-ID (MID) 004550132922674, Terminal-ID 40656679.</p>', 'phone_number')).toEqual(
      [],
    );
    expect(only('<p>TID 004550132922674</p>', 'phone_number')).toEqual([]);
    expect(only('<p>Tel. 004550132922674</p>', 'phone_number')).toEqual(['004550132922674']);
  });

  it("takes a museum's object or accession number for no IP address", () => {
    expect(only('<p>Object number 64.186.10.8 (the lacquer writing box)</p>', 'ip_address')).toEqual([]);
    expect(only('<p>Objektnummer 85.27.26.9 geht in die Restaurierung.</p>', 'ip_address')).toEqual([]);
    expect(only('<p>Accession no. 85.27.26.9</p>', 'ip_address')).toEqual([]);
    expect(only('<p>server 64.186.10.8 is down</p>', 'ip_address')).toEqual(['64.186.10.8']);
  });
});

describe('DLP detectors: the hundred-and-eighteenth blind set (firmware lab)', () => {
  it('takes a bootloader quad for a version, and with it the other public quads of a message without address words', () => {
    expect(
      only(
        '<p>fleet is on 2.6.9.144, the regression showed up in 2.3.5.50. bootloader unchanged (1.0.3.9).</p>',
        'ip_address',
      ),
    ).toEqual([]);
    expect(only('<p>bootloader host 1.0.3.9 unreachable</p>', 'ip_address')).toEqual(['1.0.3.9']);
  });
});

describe('DLP detectors: GUIDs assigned to key names (sets 66, 100, 106, 117)', () => {
  it('takes a GUID assigned to a key name in configuration for that key (Postmark, HubSpot hapikey, client_secret)', () => {
    expect(
      only(
        '<pre>-H "X-Postmark-Server-Token: 10e564d7-39f5-42f5-b2b7-d465a4423c2b"</pre>',
        'generic_api_key',
      ),
    ).toEqual(['10e564d7-39f5-42f5-b2b7-d465a4423c2b']);
    expect(only('<code>hapikey=9cff957c-5bfc-4c09-87e3-8a7ae63c7287</code>', 'generic_api_key')).toEqual([
      '9cff957c-5bfc-4c09-87e3-8a7ae63c7287',
    ]);
    expect(only('<p>client_secret: b79a20c7-165d-43f9-94cb-3f34a6895692</p>', 'generic_api_key')).toEqual([
      'b79a20c7-165d-43f9-94cb-3f34a6895692',
    ]);
  });

  it('leaves GUIDs that are ids: idempotency keys, the id of a secret, ids under id names and GUIDs alone', () => {
    expect(
      only('<pre>Idempotency-Key: bec6b5a2-9374-45ad-9617-9b472ef5dc84</pre>', 'generic_api_key'),
    ).toEqual([]);
    expect(
      only(
        '<table><tr><td>ID du secret</td><td>1bbdb9db-adfc-43b3-9abb-678e4c90028e</td></tr></table>',
        'generic_api_key',
      ),
    ).toEqual([]);
    expect(only('<p>ID de secret c321a137-58f6-45f2-bb15-facfb642af52.</p>', 'generic_api_key')).toEqual([]);
    expect(only('<p>tenant_id=9cff957c-5bfc-4c09-87e3-8a7ae63c7287</p>', 'generic_api_key')).toEqual([]);
    expect(
      only('<p>see request 9cff957c-5bfc-4c09-87e3-8a7ae63c7287 in the logs</p>', 'generic_api_key'),
    ).toEqual([]);
  });

  it('reads a card or phone number read out digit by digit, as live captions write it (set 184)', () => {
    expect(
      only(
        "<p>00:33:48.835 --&gt; 00:33:53.924<br>&lt;v Customer&gt;Sure, it's 4 6 3 2 1 6 8 0 8 3 8 6 2 6 5 9.&lt;/v&gt;</p>",
        'credit_card',
      ),
    ).toEqual(['4 6 3 2 1 6 8 0 8 3 8 6 2 6 5 9']);
    expect(
      only('<p>So my cell is 3 4 0 4 2 2 1 4 1 2, text me if the room is locked.</p>', 'phone_number'),
    ).toEqual(['3 4 0 4 2 2 1 4 1 2']);
    // Without a phone word, or as a fragment of a longer run, or failing Luhn, single digits are nothing.
    expect(only('<p>the sequence was 3 4 0 4 2 2 1 4 1 2 today</p>', 'phone_number')).toEqual([]);
    expect(only('<p>my cell is 3 4 0 4 2 2 1 4 1 2 3 4 5 6 7 8 9</p>', 'phone_number')).toEqual([]);
    expect(only('<p>Sure, it is 4 6 3 2 1 6 8 0 8 3 8 6 2 6 5 8.</p>', 'credit_card')).toEqual([]);
  });

  it('reads a Kubernetes env entry: the value on the line under its key name (set 179)', () => {
    const env = (name: string, value: string) =>
      `<codeblock class="language-yaml"><code>- name: ${name}\n  value: ${value}\n- name: DD_SITE\n  value: datadoghq.eu</code></codeblock>`;
    expect(only(env('DD_API_KEY', '469003de6c5b47fb10888bb1f9eb9a3d'), 'generic_api_key')).toEqual([
      '469003de6c5b47fb10888bb1f9eb9a3d',
    ]);
    expect(
      only(env('"STRIPE_WEBHOOK_SECRET"', '"Zq8vN3kP0xR7mT2wY5bL9cF4hJ6dS1gA"'), 'generic_api_key'),
    ).toEqual(['Zq8vN3kP0xR7mT2wY5bL9cF4hJ6dS1gA']);
    // A variable whose name is no key name, and a key name whose value is a placeholder, give nothing.
    expect(only(env('DD_TRACE_ID', '469003de6c5b47fb10888bb1f9eb9a3d'), 'generic_api_key')).toEqual([]);
    expect(only(env('DD_API_KEY', '&lt;your-api-key&gt;'), 'generic_api_key')).toEqual([]);
  });

  it("leaves a card vault's payment token (a surrogate for the card number, no credential; set 177)", () => {
    expect(
      only(
        '<pre>order_id=ORD-1674508 card_token=d343bb93-795f-42a7-870a-d1cf3839c140 bin=419443 last4=6228</pre>',
        'generic_api_key',
      ),
    ).toEqual([]);
    expect(
      only('<code>"paymentToken": "4c542be4-cfa9-4ab0-9349-328660a7e3a6"</code>', 'generic_api_key'),
    ).toEqual([]);
    expect(
      only('<code>"api_token": "4c542be4-cfa9-4ab0-9349-328660a7e3a6"</code>', 'generic_api_key'),
    ).toEqual(['4c542be4-cfa9-4ab0-9349-328660a7e3a6']);
  });
});

describe('DLP detectors: tables whose cells hold paragraphs (<td><p>…</p></td>, as Office pastes them; set 121)', () => {
  const row = (...cells: string[]) => `<tr>${cells.map((c) => `<td><p>${c}</p></td>`).join('')}</tr>`;
  const table = (...rows: string[]) =>
    `<table itemprop="copy-paste-table"><tbody>${rows.join('')}</tbody></table>`;

  it("reads the column's header cell in the first row, however far below it the value stands", () => {
    const html = `<p>Telefonliste HPC-Support (Bereitschaft über Weihnachten):</p>${table(
      row('Name', 'Telefon', 'E-Mail'),
      row('Jonas Weber', '+49 89 2180-3739', 'jonas.weber@zih.example.de'),
      row('Felix Vogel', '0351 463-84984', 'felix.vogel@hpc.example.de'),
      row('Miriam Krüger', '0351 463-89548', 'miriam.krueger@mpi.example.de'),
    )}`;
    expect(only(html, 'phone_number')).toEqual(['+49 89 2180-3739', '0351 463-84984', '0351 463-89548']);
  });

  it('takes no first row that holds values for a header: a key-value table labels its rows in the first column', () => {
    const html = `<p>KYC checklist (US person):</p>${table(
      row('Document', 'US passport', '346079119'),
      row('SSN', '800103155', 'verified'),
      row('Branch', 'DE-8964', '2025-10-12'),
    )}`;
    expect(only(html, 'us_ssn')).toEqual(['800103155']);
    expect(only(html, 'us_passport')).toEqual(['346079119']);
  });
});

describe('DLP detectors: the hundred-and-twenty-fifth and -sixth blind sets (phones of many countries, dotted numbers)', () => {
  it('takes US toll-free numbers written with the country code and no plus (1-800-…)', () => {
    expect(only('<p>US support line is 1-800-796-3306 (24/7).</p>', 'phone_number')).toEqual([
      '1-800-796-3306',
    ]);
  });

  it('takes Belgian and Austrian mobiles and Italian landlines in their national layouts', () => {
    expect(only('<p>10:45 – 0470 68 39 81 – 6 min</p>', 'phone_number')).toEqual(['0470 68 39 81']);
    expect(only('<p>Grüße aus Wien<br>M 0664 733 48 71</p>', 'phone_number')).toEqual(['0664 733 48 71']);
    expect(only('<p>Roma: +39 06 8981 8862 · Milán: 02 3003 8567</p>', 'phone_number')).toEqual([
      '+39 06 8981 8862',
      '02 3003 8567',
    ]);
    // The tail of a UPS tracking number has the Italian layout after a code.
    expect(only('<p>UPS 1Z 4A8 12W 03 9876 5432.</p>', 'phone_number')).toEqual([]);
  });

  it('reads contract, client, employee and call-id labels as identifiers, in a header read from its last word', () => {
    expect(only('<p>El contrato 946-944-7025 vence el 22/07/2024.</p>', 'phone_number')).toEqual([]);
    expect(
      only(
        '<p>Le client n° 8035721778 rappelle au 06 20 03 49 92 concernant la commande 202224401504.</p>',
        'phone_number',
      ),
    ).toEqual(['06 20 03 49 92']);
    const log =
      '<table><thead><tr><th>Time</th><th>From</th><th>Call ID</th></tr></thead><tbody><tr><td>Sat 09:14</td><td>+1 (312) 406-1936</td><td>759766083199</td></tr></tbody></table>';
    expect(only(log, 'phone_number')).toEqual(['+1 (312) 406-1936']);
    const callers =
      '<table><tr><th>Name</th><th>Caller ID</th></tr><tr><td>Front desk</td><td>030 2344 6419</td></tr></table>';
    expect(only(callers, 'phone_number')).toEqual(['030 2344 6419']);
  });

  it('lets a fake or test word after a value mark it only on its line', () => {
    const html =
      '<p>client secret: jIE2Q~.AQjY_AHSWori2JLbK0LwLKTSt7UPXFaQD<br>test number: +1 650 904 4550</p>';
    expect(only(html, 'entra_client_secret')).toEqual(['jIE2Q~.AQjY_AHSWori2JLbK0LwLKTSt7UPXFaQD']);
  });

  it('takes EC numbers, figures, agenda items, positions, image tags and upgrade sources for no IP address', () => {
    expect(only('<p>Enzyme EC 1.1.1.27 (alcohol dehydrogenase)</p>', 'ip_address')).toEqual([]);
    expect(only('<p>see Fig. 1.6.1.4 for the layout</p>', 'ip_address')).toEqual([]);
    expect(only('<p>TOP 2.9.5.1 vertagt.</p>', 'ip_address')).toEqual([]);
    expect(only('<p>LV-Position 3.9.1.2 (Kabeltrassen)</p>', 'ip_address')).toEqual([]);
    expect(
      only('<p>Image <code>registry.local/netflow-collector:9.8.25.28</code> deployed.</p>', 'ip_address'),
    ).toEqual([]);
    expect(only('<p>Upgraded the WLCs from 9.0.9.147 to 9.0.14.145 last night</p>', 'ip_address')).toEqual(
      [],
    );
    expect(only('<p>curl http://52.14.3.9:8080/health</p>', 'ip_address')).toEqual(['52.14.3.9']);
  });
});

describe('DLP detectors: the hundred-and-twenty-seventh and -thirtieth blind sets (configuration syntaxes, long threads)', () => {
  it('takes code that reads a secret (a dotted path of identifiers, a call) for no password or key', () => {
    expect(scan('<pre>password = data.azurerm_key_vault_secret.db.value</pre>')).toEqual([]);
    expect(scan('<pre>const db = { password: process.env.DB_PASSWORD, };</pre>')).toEqual([]);
    expect(scan('<pre>storePassword = System.getenv("KEYSTORE_PW")</pre>')).toEqual([]);
    // In a connection string a dotted password is a password.
    expect(only('<pre>Server=db;Password=abc.def.ghi;</pre>', 'password_in_connection_string')).toEqual([
      'abc.def.ghi',
    ]);
  });

  it('reads .NET key and value attributes (<add key="ApiKey" value="…"/>) as an assignment', () => {
    expect(
      only(
        '<pre>&lt;add key="ClearTextPassword" value="8eirzgk2xq87w45r5jplhxly1e6z4gwyy2eq0tukfea7dm" /&gt;</pre>',
        'generic_api_key',
      ),
    ).toEqual(['8eirzgk2xq87w45r5jplhxly1e6z4gwyy2eq0tukfea7dm']);
    expect(
      only('<pre>&lt;add key="ApiKey" value="Zk83mQ1pX9vL2rT7wY4uB6nC" /&gt;</pre>', 'generic_api_key'),
    ).toEqual(['Zk83mQ1pX9vL2rT7wY4uB6nC']);
  });

  it("leaves out the backticks Gitea's app.ini quotes values with", () => {
    expect(
      only('<p>[database]<br>PASSWD   = `Jap0fOM1SRx5KNGmsKSe`<br>SSL_MODE = disable</p>', 'generic_api_key'),
    ).toEqual(['Jap0fOM1SRx5KNGmsKSe']);
  });
});

describe('DLP detectors: the hundred-and-twenty-eighth blind set (keyword-dependent numbers in messy layouts)', () => {
  it('lets an SSN word that labels a number of its own name that number, not an earlier one', () => {
    const i9 =
      '<p>List A document: U.S. Passport<br>Issuing authority: U.S. Department of State<br>Document number: 150947266</p><p>E-Verify case used SSN 806-11-5498, result Employment Authorized</p>';
    expect(only(i9, 'us_ssn')).toEqual(['806-11-5498']);
    expect(only(i9, 'us_passport')).toEqual(['150947266']);
    // An SSN word after a value with no number of its own still names it.
    expect(only('<p>536221234 is the new hire’s SSN.</p>', 'us_ssn')).toEqual(['536221234']);
  });

  it('takes an identifier column (emp_id, Personalnr.) next to an SSN column for no SSN', () => {
    const tsv =
      '<pre>emp_id\tlast\tfirst\tssn\tdob\n292723913\tWhitfield\tPriya\t136376373\t1999-03-19\n</pre>';
    expect(only(tsv, 'us_ssn')).toEqual(['136376373']);
    const table =
      '<table><tbody><tr><th>Personalnr.</th><th>Name</th><th>US SSN</th></tr><tr><td>931676505</td><td>Anja Lehmann</td><td>754-72-2457</td></tr></tbody></table>';
    expect(only(table, 'us_ssn')).toEqual(['754-72-2457']);
  });
});

describe('DLP detectors: the hundred-and-twenty-ninth blind set (regional formats)', () => {
  it('takes Swiss numbers in their national layout (0xx xxx xx xx)', () => {
    expect(
      only('<p>le concierge répond au 022 566 61 81, sinon laissez le colis</p>', 'phone_number'),
    ).toEqual(['022 566 61 81']);
  });

  it('reads Belgian enterprise numbers and Latin-American tax and social-insurance ids as identifiers', () => {
    const vendor =
      '<table><tbody><tr><td>N° entreprise</td><td>0647.696.417</td></tr><tr><td>Tél.</td><td>+32 81 26 96 16</td></tr></tbody></table>';
    expect(only(vendor, 'phone_number')).toEqual(['+32 81 26 96 16']);
    expect(
      only('<p>CUIT 33-56687204-3, CBU 8647799678610671224191, tel. +54 9 341 290-0569</p>', 'phone_number'),
    ).toEqual(['+54 9 341 290-0569']);
    expect(
      only('<ul><li>NSS: 06944299523</li><li>Celular: +52 55 9737 4150</li></ul>', 'phone_number'),
    ).toEqual(['+52 55 9737 4150']);
  });
});

describe('DLP detectors: encrypted configuration values', () => {
  it("takes jasypt's ENC(…) and Spring Cloud Config's {cipher}… for ciphertext, not a password or key", () => {
    expect(
      scan(
        '<pre>spring.datasource.password=ENC(HQtbKl/9xy9ZSVAFaveE2YqYgYhGi/0VxMtaT0bQhC3ABYkTRpDpp52FmyPVUcPy)</pre>',
      ),
    ).toEqual([]);
    expect(scan('<pre>password: {cipher}AQB7Jx3kLmN9pQ2rS5tU8vW1xY4zA6bC8dE0fG2hI4jK</pre>')).toEqual([]);
    expect(
      only('<pre>spring.datasource.password=Vt7uQ72AxLm</pre>', 'password_in_connection_string'),
    ).toEqual(['Vt7uQ72AxLm']);
  });
});

describe('DLP detectors: the hundred-and-thirty-second to -sixth blind sets (IBANs, e-mails, tokens, SMS style)', () => {
  it('takes addresses at documentation domains (example.com, .test, .invalid) for no e-mail, and reads Latin IDN domains', () => {
    expect(only('<p>write to jane.doe@example.com or ops@lab.test</p>', 'email')).toEqual([]);
    expect(only('<p>bounce@mail.invalid</p>', 'email')).toEqual([]);
    expect(only('<p>Bestellung an info@müller-bäckerei.de schicken</p>', 'email')).toEqual([
      'info@müller-bäckerei.de',
    ]);
    expect(only('<p>jane.doe@contoso.com</p>', 'email')).toEqual(['jane.doe@contoso.com']);
  });

  it('reads rtg as a routing word and "bumping … to" as an upgrade', () => {
    expect(only('<p>acct 4402118530 rtg 716073693</p>', 'aba_routing')).toEqual(['716073693']);
    expect(
      only('<p>after bumping Microsoft.Identity.Client to 4.61.3.0 the login fails</p>', 'ip_address'),
    ).toEqual([]);
  });
});

describe('DLP detectors: the hundred-and-thirty-first blind set (card layouts)', () => {
  it('takes a card whose groups are separated by two spaces, as OCR of a receipt gives them', () => {
    expect(only('<p>OCR: Karte 5115  9983  3457  7679 gültig bis 08/27</p>', 'credit_card')).toEqual([
      '5115  9983  3457  7679',
    ]);
    // Mixed separators stay no card layout.
    expect(only('<p>ref 5115  9983 3457  7679</p>', 'credit_card')).toEqual([]);
  });
});

describe('DLP detectors: address formats written as patterns (set 133)', () => {
  it('takes first.last@…, vorname.nachname@…, prenom.nom@… and nombre.apellido@… for a format, not a mailbox', () => {
    expect(
      only('<p>Format: vorname.nachname@alpenrad.ch, z. B. anna.huber@alpenrad.ch</p>', 'email'),
    ).toEqual(['anna.huber@alpenrad.ch']);
    expect(only('<p>our addresses are first.last@company.com</p>', 'email')).toEqual([]);
    expect(only('<p>format prenom.nom@mairie-saint-loup.fr</p>', 'email')).toEqual([]);
  });
});

describe('DLP detectors: lower-case IBANs (sets 132 and 135)', () => {
  it('takes a lower-case IBAN that follows the word IBAN, grouped or compact, in any of the four languages', () => {
    expect(only('<p>hier meine iban de44 5001 0517 5407 3249 31 für die miete</p>', 'iban')).toEqual([
      'de44 5001 0517 5407 3249 31',
    ]);
    expect(only("<p>l'IBAN saisi en minuscules par le client : be13 7012 4304 3093</p>", 'iban')).toEqual([
      'be13 7012 4304 3093',
    ]);
    expect(
      only(
        '<p>Kunde hat die IBAN kleingeschrieben ins Formular getippt: de44500105175407324931 – geht das?</p>',
        'iban',
      ),
    ).toEqual(['de44500105175407324931']);
    expect(only('<p>iban?<br>de44500105175407324931</p>', 'iban')).toEqual(['de44500105175407324931']);
  });

  it('keeps lower-case look-alikes out: a failed check, no IBAN word, a glued prefix, or the word too far before', () => {
    expect(only('<p>iban de44 5001 0517 5407 3249 32</p>', 'iban')).toEqual([]);
    expect(only('<p>build id de44500105175407324931</p>', 'iban')).toEqual([]);
    expect(only('<p>iban: xde44500105175407324931</p>', 'iban')).toEqual([]);
    const far = `IBAN siehe unten. ${'Wir melden uns morgen wegen der Unterlagen und der Termine. '.repeat(3)}`;
    expect(only(`<p>${far}de44500105175407324931</p>`, 'iban')).toEqual([]);
  });
});

describe('DLP detectors: the hundred-and-thirty-eighth to -forty-second blind sets (HR, identity papers, incidents, local keywords, forwarded mail)', () => {
  const key88 = 'Fc3GOfApLi035oeOIutM1d2ac038lVQQPm4cbar1TREpUtwAnBQPvejTszWPqTPP4php1L1zsUS2737j20TJCA==';

  it('takes an 88-character base64 value labelled as a hash or signature (sha512- integrity, "Signature blob") for no storage key', () => {
    expect(
      only(
        `<pre>"resolved": "https://registry.npmjs.org/@azure/storage-blob/-/storage-blob-12.32.0.tgz",\n"integrity": "sha512-${key88}"</pre>`,
        'azure_storage_key',
      ),
    ).toEqual([]);
    expect(only(`<p>Signature blob from the audit export: ${key88}</p>`, 'azure_storage_key')).toEqual([]);
    expect(only(`<p>storage account key2: ${key88}</p>`, 'azure_storage_key')).toEqual([key88]);
  });

  it('reads a passport as US or UK only when no other nationality qualifies it on its own line first', () => {
    expect(
      only(
        '<p>Reisepassnummer (deutscher Pass) P35778029, ausgestellt in Köln. Das Visum für die USA ist beantragt.</p>',
        'us_passport',
      ),
    ).toEqual([]);
    expect(only('<p>German passport 512345678, flying to the USA on Monday</p>', 'us_passport')).toEqual([]);
    expect(only('<p>US passport 512345678, German colleague</p>', 'us_passport')).toEqual(['512345678']);
    expect(only('<p>Passeports des intervenants (tous américains) : 188495663</p>', 'us_passport')).toEqual([
      '188495663',
    ]);
    expect(only('<p>Los pasaportes británicos del equipo: 135796214 (Tom)</p>', 'uk_passport')).toEqual([
      '135796214',
    ]);
  });

  it('takes an unformatted SSN in a CSV row between text cells, not one between numeric cells', () => {
    expect(
      only(
        '<p>the W-2 export writes the social security number unformatted into the CSV, e.g. row 14: <code>Lopez,Maria,869337160,WA</code></p>',
        'us_ssn',
      ),
    ).toEqual(['869337160']);
    expect(only('<p>SSN export totals: 12,869337160,44</p>', 'us_ssn')).toEqual([]);
  });

  it('takes a number an employee-ID label names, a few words before it, for that ID and not an SSN', () => {
    expect(
      only(
        "<p>Please don't put SSNs in ServiceNow tickets. Use the employee ID instead, e.g. 206274675 for Dana Walsh.</p>",
        'us_ssn',
      ),
    ).toEqual([]);
    expect(only('<p>Employee ID 4471, SSN 206274675</p>', 'us_ssn')).toEqual(['206274675']);
  });

  it('reads Spanish and German bank-account wording and "checking" next to a routing number', () => {
    expect(
      only('<p>el routing es 042750224 y la cuenta de cheques 46395042497. gracias!!</p>', 'us_bank_account'),
    ).toEqual(['46395042497']);
    expect(
      only(
        '<div>Routing number (número de ruta): 311587610</div><div>Checking account / cuenta de cheques: 81026877876</div>',
        'us_bank_account',
      ),
    ).toEqual(['81026877876']);
    expect(
      only('<p>new info: rtn 302634844 checking 84188123837. payroll friday?</p>', 'us_bank_account'),
    ).toEqual(['84188123837']);
    expect(only('<p>nº de cta. de ahorros en Wells Fargo: 39752896631</p>', 'us_bank_account')).toEqual([
      '39752896631',
    ]);
    expect(
      only('<p>Cuentas bancarias de la filial (checking, Houston): 458417818561</p>', 'us_bank_account'),
    ).toEqual(['458417818561']);
    expect(only('<p>Konto der US-Tochter bei Chase: Kto.-Nr. 9255138270</p>', 'us_bank_account')).toEqual([
      '9255138270',
    ]);
    // "checking" alone with no routing number near is no account label.
    expect(only('<p>checking 84188123837 against the ledger</p>', 'us_bank_account')).toEqual([]);
  });

  it('reads Teams dial-in labels as phone context and a certificate number as no phone', () => {
    expect(
      only(
        '<p>Oder rufen Sie an (nur Audio)<br>0211 / 259 11-10,,512821074#&nbsp;&nbsp; Germany, Frankfurt</p>',
        'phone_number',
      ),
    ).toEqual(['0211 / 259 11-10']);
    expect(
      only(
        '<p>Enhanced DBS came back clear. Certificate number 003083875831, issued 15/07/2025.</p>',
        'phone_number',
      ),
    ).toEqual([]);
  });
});

describe('DLP detectors: domestic German and French accounts (sets 132, 138, 145)', () => {
  it('takes an account number next to a German BLZ or a French bank or branch code for no US bank account', () => {
    expect(
      only('<p>Bankverbindung:<br>Kto.-Nr. 9255138270<br>BLZ 528 914 43</p>', 'us_bank_account'),
    ).toEqual([]);
    expect(
      only('<p>old-style account: BLZ 58313821, Kto 3378636762 – need the IBAN</p>', 'us_bank_account'),
    ).toEqual([]);
    expect(
      only(
        '<p>RIB : code banque 30004, code guichet 00823, numéro de compte 00012345678</p>',
        'us_bank_account',
      ),
    ).toEqual([]);
    // "Bankleitzahl" also translates a US routing number: it is German only with an 8-digit code.
    expect(
      only('<p>US-Konto: Bankleitzahl (ABA) 021000021, Kontonummer 4839201755</p>', 'us_bank_account'),
    ).toEqual(['4839201755']);
  });
});

describe('DLP detectors: the hundred-and-forty-third to -eighth blind sets (dial-ins, passports, accounts, digests, versions)', () => {
  it('takes digits after a dial pause for a meeting id, reads toll-free and S/N labels', () => {
    expect(
      only('<p>One tap mobile<br>+16468417673,,83172551189#,,,,*527044# US (New York)</p>', 'phone_number'),
    ).toEqual(['+16468417673']);
    expect(only('<p>Australia toll-free: 1800 393 610</p>', 'phone_number')).toEqual(['1800 393 610']);
    expect(
      only('<p>Phone MAC 64:16:7F:2A:75:70, S/N 9027-6055-7682, asset tag 537874.</p>', 'phone_number'),
    ).toEqual([]);
  });

  it('takes a number an identifier label names right before it for no passport, unless a passport word asks for it', () => {
    expect(only('<p>US passport 575270667, Global Entry KTN 983650324.</p>', 'us_passport')).toEqual([
      '575270667',
    ]);
    expect(
      only(
        '<p>Your U.S. passport renewal fee was charged to PO 655981899; the receipt is attached.</p>',
        'us_passport',
      ),
    ).toEqual([]);
    expect(
      only('<p>Travel desk needs my US passport number for the booking: 984467508</p>', 'us_passport'),
    ).toEqual(['984467508']);
    expect(
      only(
        '<p>British passport number (customer 223923) vs 247673270 (customer 589113), both issued by HMPO.</p>',
        'uk_passport',
      ),
    ).toEqual(['247673270']);
  });

  it('reads a passport word in a later sentence as naming nothing before it, and a cell nationality over the first row', () => {
    expect(
      only(
        '<p>Número de seguro social (SSN) del empleado estadounidense: 056185654. Pasaporte de EE. UU. pendiente.</p>',
        'us_ssn',
      ),
    ).toEqual(['056185654']);
    expect(
      only(
        '<table><tr><td>Marcus Reyes</td><td>US passport C59852011</td></tr><tr><td>Tom Gallagher</td><td>British passport 568549648</td></tr></table>',
        'uk_passport',
      ),
    ).toEqual(['568549648']);
    expect(
      only('<p>Pässe der US-Kollegen, beide amerikanisch: 574987353 und A91494195.</p>', 'us_passport'),
    ).toEqual(['574987353', 'A91494195']);
  });

  it('takes an account-shaped number after a loan or policy label, with the bank keyword after it, for that identifier', () => {
    expect(
      only(
        '<p>Loan no. 5354196405<br>Draft from checking acct # 39762839613, routing 311917617</p>',
        'us_bank_account',
      ),
    ).toEqual(['39762839613']);
    expect(
      only('<p>Account: 385284341557 (business checking account), ABA 325737029</p>', 'us_bank_account'),
    ).toEqual(['385284341557']);
  });

  it('takes no secret whose key word sits inside parentheses that close before the colon', () => {
    const sig = 'NLJ8fpGGu+dev8p68gEAUiSDDaIg949Dr+qnLhor1PFv4zzxwIeusLPR4nmsgSIxX0gvS2H9iEJ9yXvikmhyqQ==';
    expect(
      only(
        `<p>Signature HMAC reçue (calculée avec le secret partagé) : ${sig} – elle ne correspond pas.</p>`,
        'generic_api_key',
      ),
    ).toEqual([]);
  });

  it('tells OIDs, RFC sections, reverse-DNS names and changelog versions from addresses, and keeps LAN addresses near version words', () => {
    expect(
      only('<p>the attribute comes in as 2.5.4.3 instead of CN, and SAN is 2.5.29.17 raw</p>', 'ip_address'),
    ).toEqual([]);
    expect(
      only(
        '<p>RFC 5280 4.2.1.6 says SAN must be critical; our CA ignores 4.2.1.9 for leaf certs.</p>',
        'ip_address',
      ),
    ).toEqual([]);
    expect(
      only('<p>$ dig -x 192.168.195.222 +short<br>PTR name 222.195.168.192.in-addr.arpa</p>', 'ip_address'),
    ).toEqual(['192.168.195.222']);
    expect(
      only('<p>Änderungsprotokoll 7.2.1.235<br>Behoben: Absturz beim Anmelden (Server)</p>', 'ip_address'),
    ).toEqual([]);
    expect(
      only('<p>Le micrologiciel 3.11.7.187 est passé sur les bornes du réseau.</p>', 'ip_address'),
    ).toEqual([]);
    expect(
      only('<p>Pushed firmware 5.12.3.133 to 172.30.26.189 and 192.168.122.155.</p>', 'ip_address'),
    ).toEqual(['172.30.26.189', '192.168.122.155']);
    expect(only('<p>deploy key for the firmware mirror at 192.168.10.198</p>', 'ip_address')).toEqual([
      '192.168.10.198',
    ]);
    expect(
      only('<p>ERREUR connexion refusée depuis 198.51.100.74 (client 1.7.00.11800)</p>', 'ip_address'),
    ).toEqual(['198.51.100.74']);
  });
});

describe('DLP detectors: address ranges (set 153)', () => {
  it('reads both ends of a dash-joined address range, and no range of versions', () => {
    expect(only('<p>Plage DHCP du Wi-Fi invité : 172.30.159.10–172.30.159.250</p>', 'ip_address')).toEqual([
      '172.30.159.10',
      '172.30.159.250',
    ]);
    expect(only('<p>DHCP pool 10.0.0.100 - 10.0.0.200</p>', 'ip_address')).toEqual([
      '10.0.0.100',
      '10.0.0.200',
    ]);
    expect(
      only(
        '<p>&lt;bindingRedirect oldVersion="0.0.0.0-4.0.0.0" newVersion="4.0.0.0" /&gt;</p>',
        'ip_address',
      ),
    ).toEqual([]);
    expect(only('<p>affected versions 2.4.1.0 - 2.4.1.9</p>', 'ip_address')).toEqual([]);
  });
});

describe('DLP detectors: signature phone labels (set 154)', () => {
  it('reads M:, T: and P: in a signature as phone labels, even after a job title with "Account" in it', () => {
    expect(
      only(
        '<p>--<br>Rachel Moreau | Account Manager<br>M: (742) 502-4435 | E: rachel@tidewater-marine.us</p>',
        'phone_number',
      ),
    ).toEqual(['(742) 502-4435']);
    expect(only('<p>Jan Vos | Account Director<br>T: 020 7946 0321</p>', 'phone_number')).toEqual([
      '020 7946 0321',
    ]);
  });
});

describe('DLP detectors: cards in CSV cells (set 160)', () => {
  it('reads a grouped card before the next CSV cell, and a compact one before a decimal amount cell', () => {
    expect(
      only(
        '<p>Chargebacks:</p><pre>CB-500511,2024-12-25,3557 7209 3612 6006,58.61,JPY→USD,4853,OPEN</pre>',
        'credit_card',
      ),
    ).toEqual(['3557 7209 3612 6006']);
    expect(only('<pre>row,4556737586899855,58.61,USD</pre>', 'credit_card')).toEqual(['4556737586899855']);
  });

  it('still reads a compact number before a decimal comma as an amount', () => {
    expect(only('<p>Betrag 4556737586899855,50 EUR</p>', 'credit_card')).toEqual([]);
  });
});

describe('DLP detectors: a correction after a placeholder (set 160)', () => {
  it('reads the corrected SSN after a placeholder one', () => {
    expect(
      only(
        '<p>Old SSN on file 000-00-0000 (blank placeholder from the import), correct SSN 522-90-5893. Gross 7,633.32.</p>',
        'us_ssn',
      ),
    ).toEqual(['522-90-5893']);
  });
});

describe('DLP detectors: airline e-tickets (set 158)', () => {
  it('reads a 3-10 e-ticket number after its label as no phone', () => {
    expect(
      only(
        '<p>Refund request for e-ticket no. 006-9044772121 (DL673), fare basis ZFZ0MPX.</p>',
        'phone_number',
      ),
    ).toEqual([]);
    expect(only('<p>Número de billete electrónico 075-5388653449, por favor.</p>', 'phone_number')).toEqual(
      [],
    );
    expect(only('<p>Call me at 006-9044772121 please</p>', 'phone_number')).toEqual(['006-9044772121']);
  });
});

describe('DLP detectors: appendix numbers (set 157)', () => {
  it('reads a dotted quad after "appendix" as a section number', () => {
    expect(only('<p>per provider manual section 4.2.1.3 and appendix 10.1.2.7</p>', 'ip_address')).toEqual(
      [],
    );
    expect(only('<p>the appendix lists the proxy 10.1.2.7 for all sites</p>', 'ip_address')).toEqual([
      '10.1.2.7',
    ]);
  });
});

describe('DLP detectors: bare account labels in French and Spanish (set 157)', () => {
  it('reads "número de cuenta" like "account number": a bank account only among bank words', () => {
    expect(
      only(
        '<p>El hospital envió la factura con número de cuenta del paciente 7232668144; eso no es el ID del afiliado.</p>',
        'us_bank_account',
      ),
    ).toEqual([]);
    expect(only('<p>Para la nómina, mi número de cuenta es 7232668144.</p>', 'us_bank_account')).toEqual([
      '7232668144',
    ]);
    expect(only('<p>Numéro de compte pour le virement : 78009142723</p>', 'us_bank_account')).toEqual([
      '78009142723',
    ]);
  });
});

describe('DLP detectors: proxy logs (set 159)', () => {
  it('reads the peer after a Squid hierarchy code, and never drops a URL host as a version', () => {
    expect(
      only(
        '<pre>10.177.212.89 TCP_MISS/200 84213 GET http://2.17.35.152/b.ps1 - HIER_DIRECT/2.17.35.152 text/plain</pre>',
        'ip_address',
      ),
    ).toEqual(['10.177.212.89', '2.17.35.152']);
    expect(only('<p>UA Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36</p>', 'ip_address')).toEqual([]);
  });
});

describe('DLP detectors: digests of secrets (set 159)', () => {
  it('reads the value after "SHA-256 of the … secret" as a digest, not a key', () => {
    const digest = '2901e974877da1a9709082854beec6a6a38eec131fb2af7ccabbdbdeb9837595';
    expect(
      only(
        `<p>We only store the SHA-256 of the rotated secret for audit: ${digest}. The value is in the vault.</p>`,
        'generic_api_key',
      ),
    ).toEqual([]);
    expect(
      only(`<p>the hash of the client secret: Xy7kP2mQ9vL4nR8sT1wZ5bC3dF6gH0jK</p>`, 'generic_api_key'),
    ).toEqual([]);
    expect(only(`<p>new client secret: Xy7kP2mQ9vL4nR8sT1wZ5bC3dF6gH0jK</p>`, 'generic_api_key')).toEqual([
      'Xy7kP2mQ9vL4nR8sT1wZ5bC3dF6gH0jK',
    ]);
  });
});

describe('DLP detectors: DeepL keys (set 156)', () => {
  it('keeps the :fx suffix of a DeepL key in the value', () => {
    expect(only('<pre>"ApiKey": "402b2065695745bf9ae971c668ae8452:fx",</pre>', 'generic_api_key')).toEqual([
      '402b2065695745bf9ae971c668ae8452:fx',
    ]);
    expect(only('<pre>api_key: 402b2065695745bf9ae971c668ae8452:fxy</pre>', 'generic_api_key')).toEqual([]);
  });
});

describe('DLP detectors: identifiers next to phones (sets 161, 163, 164)', () => {
  it('reads customer accounts, work orders, serial numbers, UCAS ids and CDLs as no phone', () => {
    expect(
      only(
        '<p>Kundin hat am Telefon die Kreditkarte durchgegeben. Kundenkonto 5480984043, Rückruf unter 0172 78886944</p>',
        'phone_number',
      ),
    ).toEqual(['0172 78886944']);
    expect(
      only(
        '<p>Ansprechpartner Herr Vogel, Tel. 030 6054 2575, Auftragsnr. 4286264462. Bitte bestätigen.</p>',
        'phone_number',
      ),
    ).toEqual(['030 6054 2575']);
    expect(only('<p>Nächste Prüfung 3/2026. Akku-Seriennr. 042-658-8013.</p>', 'phone_number')).toEqual([]);
    expect(only('<p>Mon fils postule, identifiant UCAS 542-459-6215.</p>', 'phone_number')).toEqual([]);
    expect(
      only('<p>Driver onboarding: Social Security # 106 32 6802, CDL K3390 03739 79909.</p>', 'phone_number'),
    ).toEqual([]);
  });

  it('reads a customer account next to a bank word as no bank account', () => {
    expect(
      only(
        '<p>Erstattung für Kundenkonto 5268293009 bitte auf das Bankkonto, IBAN DE44 4067 0001 5487 0945 29.</p>',
        'us_bank_account',
      ),
    ).toEqual([]);
  });
});

describe('DLP detectors: passwords in German, French and Spanish documentation (set 166)', () => {
  it('reads the word for "password" as a placeholder value', () => {
    expect(
      only(
        '<pre>Server=localhost;Database=kasse;User Id=sa;Password=geheim;</pre>',
        'password_in_connection_string',
      ),
    ).toEqual([]);
    expect(
      only('<pre>Server=srv;User Id=app;Pwd=MotDePasse;</pre>', 'password_in_connection_string'),
    ).toEqual([]);
    expect(
      only(
        '<pre>DATABASE_URL=postgresql://usuario:contraseña@localhost:5432/tienda</pre>',
        'password_in_connection_string',
      ),
    ).toEqual([]);
  });

  it('ends a password at the parenthesis that opened its URL, and reads no prose after "Password= "', () => {
    expect(
      only(
        "<pre>FlywaySqlException: Unable to obtain connection<br>(jdbc:postgresql://pg:5432/pedidos?user=app&amp;password=KM9YA2NA3j!Ux) for user 'app'</pre>",
        'password_in_connection_string',
      ),
    ).toEqual(['KM9YA2NA3j!Ux']);
    expect(only('<pre>Server=x;Password=Secr3t(1);</pre>', 'password_in_connection_string')).toEqual([
      'Secr3t(1)',
    ]);
    expect(
      only(
        '<p>plus de mot de passe ni de chaîne de connexion avec Password= dans les appsettings.</p>',
        'password_in_connection_string',
      ),
    ).toEqual([]);
  });
});

describe('DLP detectors: JWT headers with a space (set 150)', () => {
  it('reads a JWT whose header JSON is written with a space after the brace (eyAi…)', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const jwt = `${b64('{ "alg": "HS512", "typ": "JWT" }')}.${b64('{"sub":"svc-billing","exp":1893456000}')}.${'Qm9yZWQgcmVhZGVycyBkZWNvZGUgdGhpcw'}`;
    expect(jwt.startsWith('eyAi')).toBe(true);
    expect(only(`<p>token from the log: ${jwt}</p>`, 'jwt')).toEqual([jwt]);
    expect(only(`<p>AKIA and AIza come first: AKIAIOSFODNN7EXAMPL AIzaX then ${jwt}</p>`, 'jwt')).toEqual([
      jwt,
    ]);
  });
});

describe('DLP detectors: address claims in decoded tokens (set 150)', () => {
  it('reads the ipaddr claim of an id_token as an address, next to "ver" and a v2.0 issuer', () => {
    const claims =
      '{<br>  &quot;iss&quot;: &quot;https://login.microsoftonline.com/ff35dda6-a94a-4ecd-bb9e-5ec410b92988/v2.0&quot;,<br>' +
      '  &quot;ipaddr&quot;: &quot;152.156.84.153&quot;,<br>  &quot;ver&quot;: &quot;2.0&quot;<br>}';
    expect(only(`<p>decoded payload:</p><pre>${claims}</pre>`, 'ip_address')).toEqual(['152.156.84.153']);
  });
});

describe('DLP detectors: grouped numbers longer than a card (sets 151, 9, 49)', () => {
  it('reads no card in a grouped 23-digit acquirer reference, nor from the middle of an IBAN body', () => {
    expect(only('<p>ARN 2409 2159 3557 4621 0731 524 for the dispute</p>', 'credit_card')).toEqual([]);
    expect(only('<p>El IBAN ES81 8085 4955 9248 1860 1823 no pasa la validación</p>', 'credit_card')).toEqual(
      [],
    );
    expect(only('<p>card 4556 7375 8689 9855 exp 12/27</p>', 'credit_card')).toEqual(['4556 7375 8689 9855']);
  });
});

describe('DLP detectors: clause numbers in German, French and Spanish legal text (set 169)', () => {
  it('reads dotted numbers after Ziff., Anlage and art. as clause numbers', () => {
    expect(
      only('<p>Vertraglich gilt Ziff. 4.2.1.3 des Rahmenvertrags (Anlage 2.1.1.5).</p>', 'ip_address'),
    ).toEqual([]);
    expect(only('<p>RGPD art. 5.1.f et art. 4.2.1.3 du contrat-cadre.</p>', 'ip_address')).toEqual([]);
    expect(only('<p>LO 3/2018, art. 197.1 CP y art. 4.2.1.3 del contrato marco.</p>', 'ip_address')).toEqual(
      [],
    );
  });
});

describe('DLP detectors: telecom inventories (set 168)', () => {
  it('reads phone numbers by their CSV column, comma- or semicolon-separated, and IMEIs as none', () => {
    const csv =
      '<pre>imei,iccid,imsi,msisdn,user<br>353918103500373,89017985454043586060,310260051303005,13128043453,Aisha</pre>';
    expect(only(csv, 'phone_number')).toEqual(['13128043453']);
    const semicolons =
      '<pre>ICCID;MSISDN;Tarif;PUK<br>8949023960384045348;4915155145241;Business M;78652811</pre>';
    expect(only(semicolons, 'phone_number')).toEqual(['4915155145241']);
    expect(only(semicolons, 'credit_card')).toEqual([]);
  });

  it('lets a device label name only numbers on its own line', () => {
    expect(
      only(
        '<p>IMEI 358904108371601<br>SIM ICCID 89015138110228121236<br>Number: +1 512 365 9182</p>',
        'phone_number',
      ),
    ).toEqual(['+1 512 365 9182']);
  });

  it('reads quads under a firmware heading as versions, unless an address word is in their clause', () => {
    expect(
      only(
        '<p>Firmware status: LTE modems on 3.4.12.185, routers on RouterOS 7.11.2, handhelds on Android 13 build 8.9.88.216.</p>',
        'ip_address',
      ),
    ).toEqual([]);
    expect(
      only('<p>Firmware update: the gateway at 203.0.113.54 got the new image</p>', 'ip_address'),
    ).toEqual(['203.0.113.54']);
  });

  it('reads a carrier account number as no bank account, whatever transfer words are near', () => {
    expect(
      only(
        '<p>Wireless account number 9390569191, port-out PIN 339525, transfer PIN valid 7 days.</p>',
        'us_bank_account',
      ),
    ).toEqual([]);
    expect(only('<p>Please transfer to account number 9390569191 today</p>', 'us_bank_account')).toEqual([
      '9390569191',
    ]);
  });
});

describe('DLP detectors: JDBC URLs with a port (set 170)', () => {
  it('reads no userinfo password in host:port;properties with an @ in a property', () => {
    const url =
      'jdbc:sqlserver://sql-dw.database.windows.net:1433;database=dw;user=etl@sql-dw;password=Ra3eYv!03lVL;encrypt=true';
    expect(only(`<pre>${url}</pre>`, 'password_in_connection_string')).toEqual(['Ra3eYv!03lVL']);
  });
});

describe('DLP detectors: an id word that says what a number is for (set 171)', () => {
  it('reads "pour le dossier :" as no id label of the SSN after it', () => {
    expect(
      only(
        '<p>Le SSN (social security number) de Fatima pour le dossier américain : 247787618</p>',
        'us_ssn',
      ),
    ).toEqual(['247787618']);
    expect(only('<p>Numéro de dossier : 247787618, le SSN est ailleurs</p>', 'us_ssn')).toEqual([]);
  });
});

describe('DLP detectors: carrier accounts and porting (set 173)', () => {
  it('reads a carrier account as no bank account, and a transfer PIN as no bank word', () => {
    expect(
      only(
        '<p>port-out request stuck for account number 929696637864, customer says the transfer PIN is 020444.</p>',
        'us_bank_account',
      ),
    ).toEqual([]);
    const table =
      '<table><thead><tr><th>TN</th><th>Old carrier acct</th><th>PIN</th></tr></thead><tbody><tr><td>617-498-1463</td><td>1216991381</td><td>3517</td></tr></tbody></table>';
    expect(only(table, 'us_bank_account')).toEqual([]);
    expect(only(table, 'phone_number')).toEqual(['617-498-1463']);
  });
});

describe('DLP detectors: abbreviated clause words with their dot (set 174)', () => {
  it('reads quads after "Req." and "au point" as clause numbers', () => {
    expect(
      only('<p>PCI DSS v4.0.1: Req. 10.2.2.1 (audit logs) and Req. 12.5.2.1.</p>', 'ip_address'),
    ).toEqual([]);
    expect(only('<p>Au point 7.6.9.8 du CCTP, le titulaire s’engage…</p>', 'ip_address')).toEqual([]);
  });
});

describe('DLP detectors: hyphenated line breaks (set 175)', () => {
  it('reads no phone in the rest of a number that a hyphen broke across lines', () => {
    expect(
      only('<p>Kartennummer im PDF mit Silbentrennung:<br>4486 30-<br>09 9514 4366</p>', 'phone_number'),
    ).toEqual([]);
  });
});

describe('DLP detectors: contact-centre screen pops (set 176)', () => {
  it('reads the number in an ANI cell as a phone', () => {
    expect(
      only(
        '<table><tr><td>ANI</td><td>13122896101</td></tr><tr><td>DNIS</td><td>1-800-785-0238</td></tr></table>',
        'phone_number',
      ),
    ).toEqual(['13122896101', '1-800-785-0238']);
  });
});

describe('DLP detectors: article and company numbers that pass Luhn (set 178)', () => {
  it('reads no card after "Artikel" or a SIRET label on the line', () => {
    expect(
      only(
        '<p>Bestellung Großhandel: 51x Artikel 4057404058782, 43x Artikel 4206789646071.</p>',
        'credit_card',
      ),
    ).toEqual([]);
    expect(
      only("<p>il faut le SIRET de l'établissement de Villeurbanne : 36022713677971</p>", 'credit_card'),
    ).toEqual([]);
  });

  it('reads the secret access key of an IAM user named in prose as an AWS secret', () => {
    expect(
      only(
        '<p>The tool asks for the "secret access key" of the IAM user receipts-upload: k5FgmMrDLLCTUbDICMd84LuEbc74PgLJFPXQe7NF</p>',
        'aws_secret_access_key',
      ),
    ).toEqual(['k5FgmMrDLLCTUbDICMd84LuEbc74PgLJFPXQe7NF']);
  });
});

describe('DLP detectors: wave-24 blind-set misses and false alarms (sets 183, 186, 188)', () => {
  it('reads Spanish dialling verbs as phone context ("Le marco al …")', () => {
    expect(
      only('<p>Le marco al 312 688 5198 para confirmar la dirección de entrega en Cali</p>', 'phone_number'),
    ).toEqual(['312 688 5198']);
  });

  it('reads an ERP vendor number as no bank account, even with bank details on the next row', () => {
    const html =
      '<p><b>Brightwater Supply Co.</b> – vendor 0000395622</p><table><tr><td>USD payments</td>' +
      '<td>ABA 637650247, checking acct # 852727404013</td></tr></table>';
    expect(only(html, 'us_bank_account')).toEqual(['852727404013']);
    // The vendor's phone stays a phone: vendor words are no identifier label for phones.
    expect(only('<p>Mumbai vendor: 022 2674 1180, ask for Ravi.</p>', 'phone_number')).toEqual([
      '022 2674 1180',
    ]);
  });

  it('reads the Welsh words for National Insurance as NINO context', () => {
    expect(
      only('<p>"Rhif Yswiriant Gwladol yw MS 22 70 58 C, a fy rhif ffôn yw 029 2094 4678"</p>', 'uk_nino'),
    ).toEqual(['MS 22 70 58 C']);
  });

  it('takes a private quad right after "upgraded to" for the version installed, not a host upgraded at an address', () => {
    expect(
      only('<p>Core banking upgraded to 10.5.3.218 tonight, FPS adapter v4.8.0</p>', 'ip_address'),
    ).toEqual([]);
    // A word of networks in the message keeps it an address (as "the clients upgraded to 10.20.30.41" after "relay").
    expect(
      only('<p>Core banking upgraded to 10.5.3.218 tonight; its gateway is 10.5.3.1.</p>', 'ip_address'),
    ).toEqual(['10.5.3.218', '10.5.3.1']);
    expect(only('<p>We upgraded the relay at 10.5.3.218 tonight.</p>', 'ip_address')).toEqual(['10.5.3.218']);
  });
});

describe('DLP detectors: wave-25 blind-set misses and false alarms (sets 191, 194)', () => {
  it('reads a secret typed into a fake page ("una página falsa") as real: the page is the lure', () => {
    expect(
      only(
        '<p>Un dev metió el client secret en una página falsa de "verificación de Azure AD": <code>V874Q~eb.8K5E0B5eVCVNyMtOUqkTX7Gxj9uE3qX</code></p>',
        'entra_client_secret',
      ),
    ).toEqual(['V874Q~eb.8K5E0B5eVCVNyMtOUqkTX7Gxj9uE3qX']);
  });

  it('lets "test card" mark only the number it labels, not a real card earlier in the sentence', () => {
    expect(
      only(
        '<p>Guest from Osaka paid with JCB 3586 2275 4563 7436; Stripe test card 4111 1111 1111 1111 was what QA used.</p>',
        'credit_card',
      ),
    ).toEqual(['3586 2275 4563 7436']);
    expect(only('<p>Card 3586 2275 4563 7436 test card, do not use</p>', 'credit_card')).toEqual([]);
  });

  it('takes an Entra secret of exactly 40 characters, not a copy one character short', () => {
    const html =
      '<p>New client secret: <code>cXD5Q~qk7nDzQx4zIcIUFySpxJIuZNI4-U4NISZy</code><br>The one in the pipeline ' +
      'variable was cXD5Q~qk7nDzQx4zIcIUFySpxJIuZNI4-U4NISZ — last char missing.</p>';
    expect(only(html, 'entra_client_secret')).toEqual(['cXD5Q~qk7nDzQx4zIcIUFySpxJIuZNI4-U4NISZy']);
  });

  it('reads no SSN in a bare run right after a routing label, valid ABA or not', () => {
    const html =
      '<p>employee SSN 400-26-3139, new direct deposit: routing 800178200, checking acct # 912656180118. ' +
      'Old routing 801178200 to be removed.</p>';
    expect(only(html, 'us_ssn')).toEqual(['400-26-3139']);
  });
});

describe('DLP detectors: wave-26 blind-set misses and false alarms (sets 195, 196, 197, 199)', () => {
  const storageKey =
    'bSXBrWGLRQfuXIJQ8u42/q0a8TPrvEsCbeyH9XGFoLDlD+rym9V5H3yRsN8OKf2SaLNExvRLRTwluCt4W2iakA==';
  const connectionString = `DefaultEndpointsProtocol=https;AccountName=stventasg9ek;AccountKey=${storageKey};BlobEndpoint=https://stventasg9ek.blob.core.windows.net/`;

  it('ends a connection string before the bracket or sentence punctuation around it', () => {
    const type = 'azure_storage_connection_string';
    expect(only(`<p>(${connectionString})</p>`, type)).toEqual([connectionString]);
    expect(only(`<p>[${connectionString}].</p>`, type)).toEqual([connectionString]);
    expect(only(`<p>Use ${connectionString}, then restart.</p>`, type)).toEqual([connectionString]);
    // A bracket the value itself opened stays.
    const withParens = `${connectionString.replace('.net/', '.net/(x)')}`;
    expect(only(`<p>${withParens}</p>`, type)).toEqual([withParens]);
  });

  it('reads a card set off by em dashes, not glued to the words around it', () => {
    expect(only('<p>JCB card no.—3550-8081-2275-2813—please charge the deposit.</p>', 'credit_card')).toEqual(
      ['3550-8081-2275-2813'],
    );
    expect(only('<p>Ref INV-4111111111111111 closed.</p>', 'credit_card')).toEqual([]);
  });

  it('takes "upgrading the CRM to" a private quad for a version, unless networks are in the message', () => {
    expect(
      only(
        '<p>After upgrading the CRM to 10.4.7.118 the batch report broke. Rolling back to 10.3.9 tonight.</p>',
        'ip_address',
      ),
    ).toEqual([]);
    expect(only('<p>Our relay moved; the clients upgraded to 10.20.30.41 now.</p>', 'ip_address')).toEqual([
      '10.20.30.41',
    ]);
    expect(only('<p>Upgrading the firewall to 10.20.30.41 tonight.</p>', 'ip_address')).toEqual([
      '10.20.30.41',
    ]);
  });

  it('reads no AWS secret under a bare `secret_key` name without an AWS key id or AWS word', () => {
    const secret = 'EzXzp4eeuhSnPc7tQ9rSHkwsSnCHEEtqKQy9WGUP';
    expect(
      scan(`<pre># dealer portal config\nsecret_key = "${secret}"\ndealer_code = "ES-0087"</pre>`),
    ).toEqual([['generic_api_key', secret]]);
    expect(
      only(`<pre>access_key = AKIAJ5B4XRTNMQ7WLP2D\nsecret_key = ${secret}</pre>`, 'aws_secret_access_key'),
    ).toEqual([secret]);
    expect(
      only(`<pre>provider "aws" {\n  secret_key = "${secret}"\n}</pre>`, 'aws_secret_access_key'),
    ).toEqual([secret]);
  });

  it("reads no key in a SealedSecret's encryptedData, but still one in its plain template data", () => {
    const sealed = `AgBcNQyfXwj/EpcHjLsy7C269M2tkzSpyL1DshlvepY3/Ixf147fSWeNpDIOdwQuTgOJ+v2kTME0sYURE5P6+rsXuQcX8sUK2fJ2z`;
    const html =
      '<pre>apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec:\n  encryptedData:\n' +
      `    api_key: ${sealed}\n    webhook_secret: ${sealed.slice(0, 80)}\n  template:\n    data:\n` +
      '      api_key: Zq8sN3kLm2Pq9rT4vW7xY1bC5dF6gH0j</pre>';
    expect(only(html, 'generic_api_key')).toEqual(['Zq8sN3kLm2Pq9rT4vW7xY1bC5dF6gH0j']);
  });
});

describe('DLP detectors: wave-27 blind-set misses and false alarms (sets 201, 203, 204, 205)', () => {
  it('reads IBANs doubly spaced, in national groupings and glued to the BIC label', () => {
    const ibans = (html: string) => only(html, 'iban');
    expect(ibans('<p>IBAN MC58  3000  3342  4500  0410  3378  279 (letterhead)</p>')).toEqual([
      'MC58  3000  3342  4500  0410  3378  279',
    ]);
    expect(ibans('<p>IBAN: IT35 P03062 53895 501490222476 | BIC: UNCRITMM</p>')).toEqual([
      'IT35 P03062 53895 501490222476',
    ]);
    expect(ibans('<p>IBAN AT38 20111 57385986344 überweisen</p>')).toEqual(['AT38 20111 57385986344']);
    expect(ibans('<p>IBAN FR76 30003 20055 00059786453 61 (en-tête)</p>')).toEqual([
      'FR76 30003 20055 00059786453 61',
    ]);
    expect(ibans('<p>„IBAN:NL67ABNA5660931673BIC:ABNANL2A“</p>')).toEqual(['NL67ABNA5660931673']);
    // Still cut at the country's length, and never inside a longer word.
    expect(ibans('<p>IBAN DE91 5001 0517 0617 5813 58 BIC MARKDEF1</p>')).toEqual([
      'DE91 5001 0517 0617 5813 58',
    ]);
    expect(ibans('<p>ref XDE9150010517061758135</p>')).toEqual([]);
  });

  it('reads no card or phone in the body of an IBAN that failed its check', () => {
    expect(
      scan('<p>El OCR ha leído PT07 0O33 3898 3740 9773 9628 4: hay una O en lugar de un 0.</p>'),
    ).toEqual([]);
    expect(
      scan('<p>AC01 – numéro de compte incorrect pour BE19 0012 8567 0412. La clé ne correspond pas.</p>'),
    ).toEqual([]);
  });

  it('ends a connection string before an emoji glued to it', () => {
    const key = 'Gv61IpfiWqLz1Jz734JAmhjzBcnkNyMSFwSwD95m0R1nhVZWiiGPx4HueqRrXDkwkJVzCUzQRDxBWEUhXxL0CQ==';
    const cs = `DefaultEndpointsProtocol=https;AccountName=stlogs777;AccountKey=${key};EndpointSuffix=core.windows.net`;
    expect(
      only(
        `<pre>${cs}<img itemtype="http://schema.skype.com/Emoji" alt="🔒" src="x.png"></pre>`,
        'azure_storage_connection_string',
      ),
    ).toEqual([cs]);
  });

  it("reads no password in a template's fill-in (`Password={{ db_password }}`)", () => {
    expect(
      only(
        '<pre>Server=tcp:sql-dev,1433;User ID=app;Password={{ db_password }};Encrypt=True;</pre>',
        'password_in_connection_string',
      ),
    ).toEqual([]);
    expect(only('<pre>Driver={ODBC};Pwd={Xr7!kq2Lm9};</pre>', 'password_in_connection_string')).toEqual([
      'Xr7!kq2Lm9',
    ]);
  });

  it('takes a quad after a package name and `@` for a version, not one after a login', () => {
    expect(only('<p>Release <code>identity-gateway@7.36.12.93</code> deployed.</p>', 'ip_address')).toEqual(
      [],
    );
    expect(only('<p>npm i @contoso/sdk-core@4.2.1.0 please</p>', 'ip_address')).toEqual([]);
    expect(only('<p>log in as ec2-user@52.14.3.9</p>', 'ip_address')).toEqual(['52.14.3.9']);
    expect(only('<p>ssh -i key.pem deploy-team@52.14.3.9</p>', 'ip_address')).toEqual(['52.14.3.9']);
  });

  it("reads no key in PagerDuty's dedup_key or Postman's Postman-Token header", () => {
    expect(scan('<pre>"dedup_key": "48e9ec92056fb89712b77acf4eb83f95"</pre>')).toEqual([]);
    expect(scan('<pre>Postman-Token: 2d0dce8e-5643-4b2a-80d7-9465218fa43c</pre>')).toEqual([]);
    expect(only('<pre>"routing_key": "R0A7ZQ5LX1YB9M3TK8PD2FWE6VN4HJ0C"</pre>', 'generic_api_key')).toEqual([
      'R0A7ZQ5LX1YB9M3TK8PD2FWE6VN4HJ0C',
    ]);
  });
});

describe('DLP detectors: slashed national phone numbers (set 202)', () => {
  it('reads a German number with its trunk 0 set apart or a (0) before a slashed area code', () => {
    expect(
      only('<p>Laut altem Briefkopf: Tel.: 0 69 / 65 23 34 36. Ob die noch stimmt?</p>', 'phone_number'),
    ).toEqual(['0 69 / 65 23 34 36']);
    expect(only('<p>Störungsstelle, Telefon: +49 (0) 69 / 942 66 78.</p>', 'phone_number')).toEqual([
      '+49 (0) 69 / 942 66 78',
    ]);
  });

  it('reads a Belgian mobile written 0484/25.40.46 under a phone column: no date has a month 25', () => {
    const html =
      '<table><tr><th>Pays</th><th>Téléphone</th></tr><tr><td>Belgique</td><td>0484/25.40.46</td></tr></table>';
    expect(only(html, 'phone_number')).toEqual(['0484/25.40.46']);
    expect(only('<p>Call on 2024/12/25 at noon, Tel. desk</p>', 'phone_number')).toEqual([]);
  });
});

describe('DLP detectors: SealedSecret parent lookup stays local', () => {
  it('finds the encryptedData parent a few lines up, and not beyond its bound of 4,096 characters', () => {
    const yaml = 'spec:\n  encrypteddata:\n    api_key: agb\n    other: x\n  template:\n    api_key: y';
    expect(underEncryptedData(yaml, yaml.indexOf('api_key'))).toBe(true);
    expect(underEncryptedData(yaml, yaml.indexOf('other'))).toBe(true);
    expect(underEncryptedData(yaml, yaml.lastIndexOf('api_key'))).toBe(false);
    const far = `spec:\n  encrypteddata:\n${'    # filler\n'.repeat(400)}    api_key: agb`;
    expect(underEncryptedData(far, far.lastIndexOf('api_key'))).toBe(false);
  });
});

describe('DLP detectors: wave-28 blind-set misses and false alarms (sets 202, 207, 208, 209)', () => {
  it('reads the number in a WhatsApp or Telegram deep link', () => {
    expect(only('<p><a href="https://wa.me/447484775075">WhatsApp</a></p>', 'phone_number')).toEqual([
      '447484775075',
    ]);
    expect(only('<p><a href="https://t.me/+447807133479">Telegram</a></p>', 'phone_number')).toEqual([
      '+447807133479',
    ]);
    expect(only('<p><a href="https://wa.me/12345">short</a></p>', 'phone_number')).toEqual([]);
  });

  it('starts an address or an IBAN after an escaped space in a mailto: body', () => {
    const html =
      '<p><a href="mailto:ap@contoso.com?body=Please%20add%20my%20colleague%20daniel.hughes@northgate-health.org%20IBAN%20DE58200411114763226101%20thanks">mail</a></p>';
    expect(only(html, 'email')).toEqual(['ap@contoso.com', 'daniel.hughes@northgate-health.org']);
    expect(only(html, 'iban')).toEqual(['DE58200411114763226101']);
  });

  it('takes "inciso" for a clause and a UTR label for a tax reference, and PayU\'s sandbox key for documentation', () => {
    expect(only('<p>Ver inciso 4.3.2.1 del contrato con el PAC.</p>', 'ip_address')).toEqual([]);
    expect(
      only('<p>Corporation tax UTR 36613 21588. Call 020 7946 0958 with questions.</p>', 'phone_number'),
    ).toEqual(['020 7946 0958']);
    expect(
      scan(
        '<p>apiKey de pruebas de PayU (la pública de la documentación): <code>4Vj8eK4rloUd272L48hsrarnUA</code></p>',
      ),
    ).toEqual([]);
  });
});

describe('DLP detectors: card numbers wrapped onto two lines (sets 80, 131, 171, 175)', () => {
  it('reads a 4-4-4-4 card number split by one line break when a card word is in reach, keeping the break', () => {
    expect(
      only(
        '<p>Card number (split across two lines in the fax):<br>4974 1402<br>0165 3027</p>',
        'credit_card',
      ),
    ).toEqual(['4974 1402\n0165 3027']);
    expect(
      only(
        '<p>Tarjeta de crédito del cliente:</p><p>4556 5250 3962<br>9973 (caduca 02/28)</p>',
        'credit_card',
      ),
    ).toEqual(['4556 5250 3962\n9973']);
  });

  it('leaves wrapped groups alone without a card word, with a fifth group, or when Luhn fails', () => {
    expect(
      only('<p>Ich hab die Nummer zweizeilig bekommen:<br>5516 3923<br>8840 8509</p>', 'credit_card'),
    ).toEqual([]);
    expect(only('<p>card batch:<br>4974 1402 0165<br>3027 1234</p>', 'credit_card')).toEqual([]);
    expect(only('<p>card:<br>4974 1402<br>0165 3028</p>', 'credit_card')).toEqual([]);
    expect(only('<p>card:<br>4974 1402 0165 3027<br>4974 1402</p>', 'credit_card')).toEqual([
      '4974 1402 0165 3027',
    ]);
  });
});

describe('DLP detectors: IBANs wrapped onto two lines (sets 132, 171, 175)', () => {
  it('reads an IBAN whose groups go on after one line break, keeping the break in the value', () => {
    expect(
      only(
        '<p>IBAN for the Milan agent (it wrapped in the email):<br>IT67 A839 8666<br>625X X9RW NMPE 8J0</p>',
        'iban',
      ),
    ).toEqual(['IT67 A839 8666\n625X X9RW NMPE 8J0']);
    expect(only('<p>IBAN DE58 2004 1111 4763 2261 01<br>BIC COBADEFFXXX</p>', 'iban')).toEqual([
      'DE58 2004 1111 4763 2261 01',
    ]);
    expect(only('<p>IBAN DE58 2004<br>1111<br>4763 2261 01</p>', 'iban')).toEqual([]);
  });

  it('finds an IBAN that follows another capitals-and-digits code on its line or the line before', () => {
    expect(only('<p>Ref AB12 CD34<br>DE58 2004 1111 4763 2261 01</p>', 'iban')).toEqual([
      'DE58 2004 1111 4763 2261 01',
    ]);
    expect(only('<p>Ref AB12 CD34 DE58 2004 1111 4763 2261 01</p>', 'iban')).toEqual([
      'DE58 2004 1111 4763 2261 01',
    ]);
  });
});

describe('DLP detectors: a card after a URL escape (set 207)', () => {
  it('reads a card number right after an escaped space in a mailto: body, not the escape digits with it', () => {
    const html =
      '<p><a href="mailto:reservas@grupo-alcala.es?subject=Reserva%20sala&amp;body=Tarjeta%3A%204556985791252432%0ACaducidad%3A%2008%2F27">reservar sala</a></p>';
    expect(only(html, 'credit_card')).toEqual(['4556985791252432']);
    expect(only('<p>card 50%4556985791252432</p>', 'credit_card')).toEqual([]);
  });
});

describe('DLP detectors: wave-29 blind-set misses and false alarms (sets 214, 215, 216)', () => {
  it('takes a bag tag for no phone, and a phone list title for phone context', () => {
    expect(
      only(
        '<p>Koffer mit Gepäckanhänger 0220 042167 ist in MUC stehen geblieben, Passagier informiert.</p>',
        'phone_number',
      ),
    ).toEqual([]);
    expect(only('<p>Telefonliste Wochenende</p><p>Pforte: 0711 77416-448</p>', 'phone_number')).toEqual([
      '0711 77416-448',
    ]);
  });

  it('leaves the full stop that ends the sentence out of an unquoted password', () => {
    expect(
      only(
        '<p>connection <code>Data Source=sql01;User ID=svc;Password=Kx9&amp;mT2!pLw4vR</code>. It failed at 01:00.</p>',
        'password_in_connection_string',
      ),
    ).toEqual(['Kx9&mT2!pLw4vR']);
    expect(only('<p>Password=Kx9mT2pLw4vR.x rest</p>', 'password_in_connection_string')).toEqual([
      'Kx9mT2pLw4vR.x',
    ]);
  });

  it("takes the last ten digits of a Spanish CCC for that account's number, not a US account", () => {
    expect(
      only(
        '<p>Su número de cuenta antiguo (CCC): 2100 0418 45 0200051332. Le he pedido el IBAN.</p>',
        'us_bank_account',
      ),
    ).toEqual([]);
    expect(only('<p>checking account 0200051332</p>', 'us_bank_account')).toEqual(['0200051332']);
  });
});

describe('DLP detectors: wave-30 blind-set misses and false alarms (sets 220, 223)', () => {
  it('takes a VAT id for no phone, even among phone numbers', () => {
    expect(
      only('<p>Tél. +33 6 42 65 46 50 · Fax +33 6 42 65 46 51 · TVA FR 42 284771906</p>', 'phone_number'),
    ).toEqual(['+33 6 42 65 46 50', '+33 6 42 65 46 51']);
  });

  it('takes digits ended by the pound key for a PIN or conference id, not a phone', () => {
    expect(only('<p>Einwahl-PIN für die Telko: 4711 0815 23#</p>', 'phone_number')).toEqual([]);
    expect(only('<p>Einwahl für die Telko: 0711 7741 6448</p>', 'phone_number')).toEqual(['0711 7741 6448']);
  });

  it('reads a dotted 4-6-4 Diners number, a NINO printed 2-6-1 and a key set off in square brackets', () => {
    expect(only('<p>Carte Diners (3012.291132.1715) refusée deux fois.</p>', 'credit_card')).toEqual([
      '3012.291132.1715',
    ]);
    expect(only('<p>National Insurance no. AJ 590699 A, tax code 1257L.</p>', 'uk_nino')).toEqual([
      'AJ 590699 A',
    ]);
    expect(only('<p>webhook secret: [Pst8IKyd6h6Mq2WvZo4CNbxYHx4M2HXh]</p>', 'generic_api_key')).toEqual([
      'Pst8IKyd6h6Mq2WvZo4CNbxYHx4M2HXh',
    ]);
    expect(scan('<p>secret: [click here](https://example.org/docs/secret-rotation)</p>')).toEqual([]);
  });
});

describe('DLP detectors: wave-31 blind-set misses and false alarms (sets 227, 228)', () => {
  it('reads an AWS key id whose random part has a little under 3 bits of entropy, not a patterned placeholder', () => {
    expect(only('<pre>aws_access_key_id=AKIA3B4W74WB7QBWT7H5</pre>', 'aws_access_key_id')).toEqual([
      'AKIA3B4W74WB7QBWT7H5',
    ]);
    expect(only('<p>aws key AKIAABCDABCDABCDABCD</p>', 'aws_access_key_id')).toEqual([]);
  });

  it('takes an intra-community VAT id and a parcel number for no phone', () => {
    expect(only('<div>RCS Lyon 371 398 736 · TVA intracom. FR 71 169887577</div>', 'phone_number')).toEqual(
      [],
    );
    expect(
      only(
        '<p>FedEx SMS: "Your package 7268 9633 3113 is out for delivery today by 8pm."</p>',
        'phone_number',
      ),
    ).toEqual([]);
    expect(only('<p>call the package desk on 0711 7741 6448</p>', 'phone_number')).toEqual([
      '0711 7741 6448',
    ]);
  });
});

describe('DLP detectors: wave-32 blind-set false alarms (set 231)', () => {
  it("takes the API key and secret of Binance's documented signed-request example for no key, and a random pair for keys", () => {
    const documented =
      '<pre>apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A\nsecretKey=NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j</pre>';
    expect(scan(documented)).toEqual([]);
    const real =
      '<pre>apiKey=Qw3rT9uVb2nM4kL7pX8sD1fG6hJ0zC5vB3nM9qW2eR7tY4uI8oP1aS6dF0gH2jK5\nsecretKey=Zx9cV2bN7mL4kJ8hG3fD6sA1qW5eR0tY9uI3oP7aS2dF6gH1jK4lZ8xC5vB0nM3q</pre>';
    expect(scan(real).map(([type]) => type)).toEqual(['generic_api_key', 'generic_api_key']);
  });
});

describe('DLP detectors: older blind-set misses fixed in the sixteenth session (sets 127, 223, 224, 228, 229)', () => {
  it('reads the key of a kaggle.json under its bare quoted "key" name, but not a label or a path under it', () => {
    expect(
      only(
        '<pre>{&quot;username&quot;:&quot;lvogel&quot;,&quot;key&quot;:&quot;2160ff217fb40cdb0f54d4843c5698a9&quot;}</pre>',
        'generic_api_key',
      ),
    ).toEqual(['2160ff217fb40cdb0f54d4843c5698a9']);
    expect(scan('<pre>{"key": "checkout.summary.title2024", "value": "Your order"}</pre>')).toEqual([]);
    expect(scan('<pre>{"key": "exports/2024/q3-summary-report.csv"}</pre>')).toEqual([]);
  });

  it('reads a URI password holding one "?" but not a query string after a port', () => {
    expect(
      only(
        '<pre>mysql://kasse:suuKssUCsSq?1@192.168.178.40:3306/kassenbuch</pre>',
        'password_in_connection_string',
      ),
    ).toEqual(['suuKssUCsSq?1']);
    expect(
      only('<p>see https://portal.example.org:8443?to=bob@contoso.com</p>', 'password_in_connection_string'),
    ).toEqual([]);
  });

  it('reads a password aligned in an ini file, and leaves backtick-quoted and Terraform-hidden values to the key reading', () => {
    expect(
      only(
        '<pre>UID         = billing_svc\nPWD         = QC.QPStq-D40K0\nEncrypt     = yes</pre>',
        'password_in_connection_string',
      ),
    ).toEqual(['QC.QPStq-D40K0']);
    expect(scan('<p>USER = gitea<br>PASSWD = `Jap0fOM1SRx5KNGmsKSe`<br>SSL_MODE = disable</p>')).toEqual([
      ['generic_api_key', 'Jap0fOM1SRx5KNGmsKSe'],
    ]);
    expect(scan('<pre>+ password          = (sensitive value)</pre>')).toEqual([]);
  });

  it('reads a card whose four groups are set off by slashes, not a slashed year list', () => {
    expect(only('<p>Karte 5365/3728/5728/0417 bitte sperren</p>', 'credit_card')).toEqual([
      '5365/3728/5728/0417',
    ]);
    expect(only('<p>Budgets 2019/2020/2021/2022 sind freigegeben</p>', 'credit_card')).toEqual([]);
  });
});

describe('DLP detectors: wave-32 blind-set false alarms (sets 235, 237, 238)', () => {
  it('takes a German outline or margin number for no address, and keeps an address after "Nr." of something else', () => {
    expect(only('<p>Gliederungspunkt 2.1.10.5 des SPA-Entwurfs ist noch offen.</p>', 'ip_address')).toEqual(
      [],
    );
    expect(
      only('<p>Nach Nr. 2.3.1.4 der Verwaltungsvorschrift zum WoGG zählt das nicht.</p>', 'ip_address'),
    ).toEqual([]);
    expect(only('<p>Server Nr. 3 hat die IP 10.20.30.40</p>', 'ip_address')).toEqual(['10.20.30.40']);
  });

  it('takes a value cut short with three dots for no key', () => {
    expect(scan('<pre>aws_session_token = IQoJb3JpZ2luX2VjE...(cut)</pre>')).toEqual([]);
    expect(only('<pre>aws_session_token = IQoJb3JpZ2luX2VjEK7x9Lq2Vr</pre>', 'generic_api_key')).toEqual([
      'IQoJb3JpZ2luX2VjEK7x9Lq2Vr',
    ]);
  });

  it('does not pair a bare account label with a network routing word', () => {
    expect(
      only(
        '<p>Las reglas de routing del módulo de Front Door están bien. El archivo va a la cuenta 558822343796 (log-archive).</p>',
        'us_bank_account',
      ),
    ).toEqual([]);
    expect(only('<p>ABA routing 021000021, cuenta 483920175566</p>', 'us_bank_account')).toEqual([
      '483920175566',
    ]);
  });
});

describe('DLP detectors: wave-33 blind-set misses and false alarms (sets 239, 240)', () => {
  it('takes a clause number after "selon le point" for no address, but keeps an access point\'s address', () => {
    expect(only('<p>Selon le point 7.2.1.4 du référentiel IFS Food, …</p>', 'ip_address')).toEqual([]);
    expect(only('<p>le point d&#39;accès 10.0.0.1 ne répond plus</p>', 'ip_address')).toEqual(['10.0.0.1']);
  });

  it('takes a transaction id in a query string for no phone', () => {
    // "Appel" (a call) is a phone word; the field name is nearer.
    expect(
      only(
        "<p>Appel à l'API de scoring du prestataire :</p><pre>GET /v3/transactions/risk?api_key=x&amp;txn=2272010341</pre>",
        'phone_number',
      ),
    ).toEqual([]);
  });

  it("reads a scam victim's phone: a fake technician is the lure, not the victim's number", () => {
    expect(
      only(
        '<p>Víctima del falso técnico de soporte: carmen.ruiz29@gmail.com, móvil +34 622 00 69 54.</p>',
        'phone_number',
      ),
    ).toEqual(['+34 622 00 69 54']);
    expect(only('<p>Número falso para pruebas: móvil +34 622 00 69 54</p>', 'phone_number')).toEqual([]);
  });
});

describe('DLP detectors: wave-34 blind-set false alarm (set 244)', () => {
  it('takes a minimum version ("… or newer") for no address, and keeps addresses joined by "oder"', () => {
    expect(
      only(
        "<p>Office printer is at 192.168.20.226. If the tablets can't find it make sure they're on CareApp 4.12.0.3 or newer.</p>",
        'ip_address',
      ),
    ).toEqual(['192.168.20.226']);
    expect(only('<p>Bitte auf 4.2.1.0 oder neuer aktualisieren.</p>', 'ip_address')).toEqual([]);
    expect(only('<p>Server 10.1.2.3 oder 10.1.2.4</p>', 'ip_address')).toEqual(['10.1.2.3', '10.1.2.4']);
  });
});

describe('DLP detectors: wave-35 blind-set misses and false alarms (sets 237, 244, 246-248)', () => {
  it('reads a German landline with a five-digit area code or the old slash after it as a phone, without a phone word', () => {
    expect(
      only('<p>Hausnotruf-Zentrale für Lindenthal: 02203 750 4390, Störungen per Mail.</p>', 'phone_number'),
    ).toEqual(['02203 750 4390']);
    expect(
      only(
        '<p>Ansprechpartnerin Frau Öztürk, 0221/349 0371, Bestellungen an die Apotheke.</p>',
        'phone_number',
      ),
    ).toEqual(['0221/349 0371']);
    // Twelve digits in four-digit groups stay ids (hex dumps, references); a slash needs the trunk 0.
    expect(only('<p>Aktenzeichen 0806 0000 0035</p>', 'phone_number')).toEqual([]);
    expect(only('<p>Vorgang 2203/7504 3901 abgeschlossen.</p>', 'phone_number')).toEqual([]);
  });

  it('takes a role after an identifier label ("Case officer") for a person, so the number on the line is a phone', () => {
    const row =
      '<table><tr><td>Claim</td><td>NI number</td><td>Balance</td></tr><tr><td>Case officer</td><td>Rhys Evans</td><td>0161 269 3207</td></tr></table>';
    expect(only(row, 'phone_number')).toEqual(['0161 269 3207']);
    expect(only('<p>Case ref 0161 269 3207</p>', 'phone_number')).toEqual([]);
  });

  it('takes a remote-shell login target for no e-mail address, but keeps an address the sentence mentions', () => {
    expect(
      only('<pre><code>ssh -J tw512@gw.kelvin.hpc.northbridge.ac.uk tw512@login01</code></pre>', 'email'),
    ).toEqual([]);
    expect(only('<p>scp report.csv deploy@host.contoso.de:/tmp</p>', 'email')).toEqual([]);
    expect(only('<p>ssh -i id_ed25519 admin@bastion.contoso.de</p>', 'email')).toEqual([]);
    expect(only('<p>send the ssh key to bob@contoso.com</p>', 'email')).toEqual(['bob@contoso.com']);
    expect(only('<p>sshd logs mailed to bob@contoso.com</p>', 'email')).toEqual(['bob@contoso.com']);
  });

  it('takes a quad differing from a section number only in its last part for another section', () => {
    expect(
      only(
        '<p>See runbook section 4.2.1.3 for the rollback order; 4.2.1.4 covers the DNS part.</p>',
        'ip_address',
      ),
    ).toEqual([]);
    expect(
      only('<p>See runbook section 4.2.1.3 for the rollback order; DNS 4.2.1.4 is down.</p>', 'ip_address'),
    ).toEqual(['4.2.1.4']);
  });

  it("rejects a 00-prefixed number too long for its country's plan when no phone word names it", () => {
    const table =
      '<p>Envíos retrasados:</p><table><tbody><tr><td>SEUR</td><td>0061 2345 6789 01</td></tr></tbody></table>';
    expect(only(table, 'phone_number')).toEqual([]);
    expect(only('<p>Madrid 0034 913 123 456</p>', 'phone_number')).toEqual(['0034 913 123 456']);
    expect(only('<p>Sydney office 0061 2 9374 4000</p>', 'phone_number')).toEqual(['0061 2 9374 4000']);
    // A written `+` is taken as it stands, whatever the length (labellers write `+cc` numbers of any length).
    expect(only('<p>Paris +33 9 12 42 56 77 0</p>', 'phone_number')).toEqual(['+33 9 12 42 56 77 0']);
  });
});

describe('DLP detectors: wave-36 blind-set misses and false alarms (sets 250-252)', () => {
  it('takes a firmware label naming its device ("Firmware Netzwerk-Switch:") for a version before a small-number quad', () => {
    expect(
      only(
        '<p>Firmware Netzwerk-Switch: 7.0.2.18 — laut Hersteller aktuell, kein Update nötig.</p>',
        'ip_address',
      ),
    ).toEqual([]);
    // Addresses keep their ranges' reading: a 10.x or a quad with large parts is no version.
    expect(only('<p>Firmware update server: 10.1.2.3</p>', 'ip_address')).toEqual(['10.1.2.3']);
    expect(only('<p>Firmware Switch: 192.168.1.20</p>', 'ip_address')).toEqual(['192.168.1.20']);
  });

  it('reads a stream key with short `_` prefixes under a bare "key" JSON name, and no i18n key', () => {
    const obs =
      '<pre>{\n  "settings": {\n    "key": "live_331351616_Hb9TOnJE2EH8PrlVwT1F7b4cxKCdQr",\n    "service": "Twitch"\n  }\n}</pre>';
    expect(only(obs, 'generic_api_key')).toEqual(['live_331351616_Hb9TOnJE2EH8PrlVwT1F7b4cxKCdQr']);
    expect(only('<pre>{"key": "checkout_title_v2"}</pre>', 'generic_api_key')).toEqual([]);
  });

  it('takes a PowerShell cmdlet assigned to a secret name for the command that fetches it, not the secret', () => {
    expect(
      only(
        '<p>The script reads it from Key Vault: <code>$clientSecret = Get-AzKeyVaultSecret -VaultName kv-iam-prd -Name collector-secret -AsPlainText</code>.</p>',
        'generic_api_key',
      ),
    ).toEqual([]);
    // A token that merely starts with a verb has digits in it.
    expect(only('<pre>$apiKey = "Get-Xk9PqRtZ2mLw8vBn4c"</pre>', 'generic_api_key')).toEqual([
      'Get-Xk9PqRtZ2mLw8vBn4c',
    ]);
  });

  it('takes a 00-prefixed number dialling an unassigned country code (873) for no phone', () => {
    expect(
      only(
        '<p>Póliza del seguro de la colección de arte: 0087-33-1190245, capital asegurado EUR 24 M.</p>',
        'phone_number',
      ),
    ).toEqual([]);
    expect(only('<p>Ankara 0090 312 555 1234</p>', 'phone_number')).toEqual(['0090 312 555 1234']);
  });
});

describe('DLP detectors: wave-37 blind-set false alarms (sets 253, 256)', () => {
  it('takes a delivery-note number for an id even when "Rückruf" (a recall) reads as a call-back word', () => {
    expect(
      only(
        '<p>Rückruf beim Geflügellieferanten: Charge L2492-674 (MHD 14.08.) bitte sofort sperren. Lieferschein 7283027827. Ware separieren.</p>',
        'phone_number',
      ),
    ).toEqual([]);
    expect(only('<p>Bitte um Rückruf unter 0221 3490371, Lieferschein folgt.</p>', 'phone_number')).toEqual([
      '0221 3490371',
    ]);
    expect(
      only("<p>Le chauffeur n'a pas le bon de livraison. Son numéro : 07 54 40 32 02.</p>", 'phone_number'),
    ).toEqual(['07 54 40 32 02']);
  });

  it("takes a conference id keyed in after a dial pause or before '#' for no SSN, even with an SSN word near", () => {
    const invite =
      '<div>Ou appelez (audio uniquement)<br>+33 4 40 62 35 14,,352669309#   France, Paris<br>ID de conférence téléphonique : 352669309#</div><p>SSN : XXX-XX-9433</p>';
    expect(only(invite, 'us_ssn')).toEqual([]);
    expect(only('<p>SSN 352669309 on file</p>', 'us_ssn')).toEqual(['352669309']);
  });
});

describe('DLP detectors: wave-38 blind-set false alarms (sets 260-268)', () => {
  it('takes a version after a security product\'s "sensor" for no address, as after its "agent"', () => {
    expect(
      only(
        '<p>Endpoint evidence for CC6.8: vulnerability agent 5.9.9.60 and EDR sensor 24.2.7.211 on 100% of laptops (412/412).</p>',
        'ip_address',
      ),
    ).toEqual([]);
    // A sensor's address is written with a preposition, and a private address stays one after the bare word.
    expect(only('<p>The EDR sensor on 52.14.3.8 stopped reporting.</p>', 'ip_address')).toEqual([
      '52.14.3.8',
    ]);
    expect(only('<p>Alerte chambre froide : sensor 10.60.24.125 à +6,1 °C</p>', 'ip_address')).toEqual([
      '10.60.24.125',
    ]);
  });

  it('takes the version a person says they are on for no address, in four languages', () => {
    for (const html of [
      '<p>Quell-TC 04:54:21:22 auf A035C039_240401_R1AB. Ich bin auf Livegrade 5.4.3.6 — ihr?</p>',
      '<p>TC source 20:41:15:04 sur A026C054_241113_R4MZ. Je suis en Livegrade 6.2.0.6.</p>',
      "<p>I'm on Livegrade 5.4.3.6, which one are you on?</p>",
      '<p>Estoy en Livegrade 6.2.0.6, ¿y vosotros?</p>',
    ])
      expect(only(html, 'ip_address')).toEqual([]);
    // A product named by two words.
    expect(
      only(
        '<p>Ich bin noch auf Empirica Signal 9.7.9.56, die Auswertung sieht bei mir anders aus als bei euch.</p>',
        'ip_address',
      ),
    ).toEqual([]);
    // On a host, and on a network product's address, a person is at an address.
    expect(only('<p>Ich bin auf Server 52.1.2.3 eingeloggt.</p>', 'ip_address')).toEqual(['52.1.2.3']);
    expect(only('<p>Ich bin auf dem Server 52.1.2.3 eingeloggt.</p>', 'ip_address')).toEqual(['52.1.2.3']);
    expect(only("<p>I'm on gateway 52.1.2.3 now.</p>", 'ip_address')).toEqual(['52.1.2.3']);
  });

  it("takes a standard operating procedure's section number for no address", () => {
    expect(
      only(
        '<p>Per SOP 2.7.3.4 the call-taker stays on the line for CPR until the first unit is at the patient.</p>',
        'ip_address',
      ),
    ).toEqual([]);
    expect(only('<p>SOP for the relay: ping 52.14.3.8 first.</p>', 'ip_address')).toEqual(['52.14.3.8']);
  });

  it('takes the number after an incident label ("Einsatz", "Intervention") for the incident, not a phone', () => {
    expect(
      only(
        '<ul><li>Einsatz 2405067530: Angehörige bittet um Rückruf unter 0152 9118799.</li><li>Kreisbrandmeister erreichbar über +49 40 8495 6149.</li></ul>',
        'phone_number',
      ),
    ).toEqual(['0152 9118799', '+49 40 8495 6149']);
    expect(
      only(
        '<div><p><b>Intervention 2024782632</b> – feu de cuisine</p><pre>N° de rappel : 05 36 87 52 15</pre></div>',
        'phone_number',
      ),
    ).toEqual(['05 36 87 52 15']);
  });

  it('takes an air waybill number for a shipment, not a national phone number, whatever phone word is near', () => {
    expect(
      only(
        '<p>El lote 465 sale hoy hacia Nueva York. Guía aérea 057-98562983, partida arancelaria 9701 21 00 00.</p>',
        'phone_number',
      ),
    ).toEqual([]);
    expect(
      only(
        '<div>Driver: William Hargreaves, +44 7547 258508<br>Ops desk: ops@kestrel-fineart.co.uk<br>Air waybill 020-03477653 (LHR → HKG)</div>',
        'phone_number',
      ),
    ).toEqual(['+44 7547 258508']);
    expect(only('<p>AWB no.: 020-56245470, call me on 020 7946 0123</p>', 'phone_number')).toEqual([
      '020 7946 0123',
    ]);
  });

  it('takes "mob/demob" (mobilisation) for no mobile-phone word', () => {
    expect(
      only(
        '<p>Code the rig move to 7100-242-047 (drilling – mob/demob) and the water hauling to 7300-150-002.</p>',
        'phone_number',
      ),
    ).toEqual([]);
    expect(only('<p>Site lead: J. Okafor, mob 07700 900123</p>', 'phone_number')).toEqual(['07700 900123']);
  });

  it("leaves the sentence's full stop out of an unquoted password value", () => {
    // 15 characters without the stop: too short for a credential under a password name.
    expect(
      scan(
        '<p>For the vendors on the day: guest Wi-Fi is "LakesideGuests", password: barnwedding2025. The DJ has his own 4G router.</p>',
      ),
    ).toEqual([]);
    expect(only('<p>db password: Xk29fjQ02kdlsPq1. Rotate it tomorrow.</p>', 'generic_api_key')).toEqual([
      'Xk29fjQ02kdlsPq1',
    ]);
    expect(only("<p>db password: 'Xk29fjQ02kdlsPq1.'</p>", 'generic_api_key')).toEqual(['Xk29fjQ02kdlsPq1.']);
  });

  it("takes a postal barcode's routing code (ZIP+4) for no bank routing number", () => {
    expect(
      only(
        '<p>Orlando seeds came back with the wrong IMb. In the file the routing code is 328921997 (ZIP+4, no delivery point), but the printed bars decode to 32892199787.</p>',
        'aba_routing',
      ),
    ).toEqual([]);
    expect(only('<p>Bank routing code 321171184, ship to ZIP+4 10001-1234</p>', 'aba_routing')).toEqual([
      '321171184',
    ]);
  });

  it('takes a list of EAN-13 codes named once ("die EANs … sind") for product codes, not cards', () => {
    expect(
      only(
        '<p>Faltschachteln: die EANs im Datenblatt sind 4088400773249 (250 g) und 4092914500697 (500 g).</p>',
        'credit_card',
      ),
    ).toEqual([]);
    expect(only('<p>Kreditkarte 4088400773249 bitte sperren</p>', 'credit_card')).toEqual(['4088400773249']);
  });

  it("takes the version a device reports for its system for no address, and the message's other versions too", () => {
    expect(
      only(
        '<p>After the patch the Fiery FS500 Pro reports system 1.2.5.14, and Command WorkStation on the prepress Macs is 7.0.6.134.</p><p>Spot colour library still shows the old Pantone+ Solid Coated.</p>',
        'ip_address',
      ),
    ).toEqual([]);
    // A private address after the bare word stays an address.
    expect(only('<p>The system 10.20.1.7 is down</p>', 'ip_address')).toEqual(['10.20.1.7']);
  });
});

describe('DLP detectors: wave-39 blind-set misses and false alarms (sets 269-272)', () => {
  it('takes German compound clause and driver-version words for what names the quad after them', () => {
    expect(
      only(
        '<p>Vertragsziffer 3.4.1.2: Zertifikat innerhalb von 10 Werktagen, Report 7 Jahre aufbewahren.</p>',
        'ip_address',
      ),
    ).toEqual([]);
    expect(
      only('<p>Der Käufer fragt nach der i40e-Treiberversion im Image: 2.24.20.4.</p>', 'ip_address'),
    ).toEqual([]);
  });

  it("finds a device's last known address next to its firmware version", () => {
    expect(
      only(
        '<p>Letzte bekannte Adresse: 39.149.98.34, Firmware 5.6.9.20, Seriennummer TLM-GW2-BDF181.</p>',
        'ip_address',
      ),
    ).toEqual(['39.149.98.34']);
  });

  it('finds a French number after "joignable au", even after a case-file word', () => {
    expect(
      only('<p>La gestionnaire du dossier est joignable au 05 31 55 02 52.</p>', 'phone_number'),
    ).toEqual(['05 31 55 02 52']);
  });

  it('finds a real card after a test card that a contrasting clause sets apart', () => {
    expect(
      only(
        '<p>Checkout smoke test: staging with the test card 4242 4242 4242 4242 works, but on prod my corporate card 4435 6146 3876 8890 exp 07/27 gets "card_declined".</p>',
        'credit_card',
      ),
    ).toEqual(['4435 6146 3876 8890']);
    // A list after a fake word stays fake.
    expect(only('<p>made-up SSNs: 536-22-8142, 219-45-6788</p>', 'us_ssn')).toEqual([]);
  });

  it('takes the version of an app named after a software word, or that users are on, for no address', () => {
    expect(
      only(
        "<p>Les tablettes de la salle 2 ont encore l'appli Moodle 4.3.2.11, d'où le bug de synchro hors ligne.</p>",
        'ip_address',
      ),
    ).toEqual([]);
    expect(only('<p>Students on Zoom 5.17.11.34 get no audio in breakout rooms.</p>', 'ip_address')).toEqual(
      [],
    );
    // A device named like a product after a software word is still at an address.
    expect(only('<p>The app Gateway 52.1.2.3 is down</p>', 'ip_address')).toEqual(['52.1.2.3']);
  });
});
