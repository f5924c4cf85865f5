import { describe, expect, it } from 'vitest';
import { guardLabelledSet } from './dlp-labelled-set.js';

// The independent set was written from the findings contract (dlp-detection.md §9) by a second engineer
// without reading the engine or the author's fixtures; see test/fixtures/dlp-independent/build.ts.
describe('DLP independent labelled set (test/fixtures/dlp-independent/cases.jsonl)', () => {
  const { engine } = guardLabelledSet(undefined, 50);

  it('reports an SSN whose keyword is in the message but more than 300 characters away (§9.3)', () => {
    const filler = 'The vendor portal needs the documents listed in the onboarding checklist. '.repeat(6);
    const html = `<p>Re: SSN for the background check</p><p>${filler}</p><p>Number: 536-22-1234</p>`;
    expect(
      engine
        .scanHtml(html)
        .filter((m) => m.type === 'us_ssn')
        .map((m) => m.value),
    ).toEqual(['536-22-1234']);
    // a bare 9-digit run that far from the keyword stays unreported
    const bare = `<p>SSN on file.</p><p>${filler}</p><p>Number: 536221234</p>`;
    expect(engine.scanHtml(bare).filter((m) => m.type === 'us_ssn')).toEqual([]);
  });

  it('does not take an order number for a bank account when the bank keyword is further away', () => {
    const html =
      '<p>Bank account details will follow from finance.</p><p>Meanwhile order 8458831243 shipped.</p>';
    expect(engine.scanHtml(html).filter((m) => m.type === 'us_bank_account')).toEqual([]);
    const labelled = '<p>Bank account ID: 8458831243</p>';
    expect(
      engine
        .scanHtml(labelled)
        .filter((m) => m.type === 'us_bank_account')
        .map((m) => m.value),
    ).toEqual(['8458831243']);
  });

  it('does not take a Teams meeting ID for a phone number, but reports the dial-in number', () => {
    const html =
      '<div>Microsoft Teams meeting<br>Meeting ID: 540 525 622 807<br>Passcode: vFphiD<br>Dial in by phone<br>+1 388-385-5981,,607699664# United States</div>';
    expect(
      engine
        .scanHtml(html)
        .filter((m) => m.type === 'phone_number')
        .map((m) => m.value),
    ).toEqual(['+1 388-385-5981']);
    // an unlabelled number with a phone keyword stays a phone
    expect(engine.scanHtml('<p>call me on 030 12345678</p>').map((m) => m.value)).toEqual(['030 12345678']);
  });

  it('reports French and parenthesised national phone formats without a keyword, not after a reference label', () => {
    const phones = (html: string) =>
      engine
        .scanHtml(html)
        .filter((m) => m.type === 'phone_number')
        .map((m) => m.value);
    expect(phones('<p>dispo au 06 12 48 57 93 demain</p>')).toEqual(['06 12 48 57 93']);
    expect(phones('<p>London: (020) 7946 1234</p>')).toEqual(['(020) 7946 1234']);
    expect(phones('<p>appelle-moi: 0612485793</p>')).toEqual(['0612485793']);
    expect(phones('<p>Dossier réf 01 23 45 67 89 clôturé</p>')).toEqual([]);
  });

  it('does not report subnet masks as IP addresses, but keeps hosts, gateways and the broadcast address', () => {
    const ips = (html: string) =>
      engine
        .scanHtml(html)
        .filter((m) => m.type === 'ip_address')
        .map((m) => m.value);
    expect(
      ips('<p>IPv4 10.20.30.41, Subnet Mask 255.255.255.0, mask 255.255.0.0, gateway 10.20.30.1</p>'),
    ).toEqual(['10.20.30.41', '10.20.30.1']);
    expect(ips('<p>broadcast to 255.255.255.255</p>')).toEqual(['255.255.255.255']);
  });

  it('reports a Service Bus SharedAccessKey value as a generic API key', () => {
    const key = 'q1X3vZ8kP2mL9nR4tW7yB6cF0hJ5sD3gA8eK1uV2oI4=';
    const html = `<p>Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${key}</p>`;
    expect(engine.scanHtml(html).map((m) => [m.type, m.value])).toEqual([['generic_api_key', key]]);
  });
});
