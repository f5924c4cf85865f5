import { describe, expect, it } from 'vitest';
import { messageSegments } from '../../src/dlp/content.js';
import { decodeTeamsHtml } from '../../src/dlp/html.js';

describe('Teams HTML → scannable content', () => {
  it('turns <br> and block tags into newlines and removes inline tags so split digits re-join', () => {
    expect(decodeTeamsHtml('<p>card <b>4539</b> 1488</p><div>x<br>y</div>')).toBe(
      '\ncard 4539 1488\n\nx\ny\n',
    );
  });

  it('turns </td> and </th> into tabs', () => {
    expect(decodeTeamsHtml('<table><tr><th>a</th><td>b</td></tr></table>')).toBe('\n\na\tb\t\n\n');
  });

  it('decodes named and numeric entities, keeping &nbsp; as U+00A0 and not collapsing whitespace', () => {
    expect(decodeTeamsHtml('a&nbsp;b &amp; &lt;c&gt; &#52;&#x32;  z &unknown;')).toBe(
      'a\u00a0b & <c> 42  z &unknown;',
    );
  });

  it('replaces Teams emoji images by their alt text and drops other images (no data: URIs scanned)', () => {
    const html =
      '<p>ok <img itemtype="http://schema.skype.com/Emoji" alt="🙂" src="x.png"> <img src="data:image/png;base64,QUFBQUFB" alt="chart"></p>';
    expect(decodeTeamsHtml(html)).toBe('\nok 🙂 \n');
  });

  it('appends each decoded href on its own line after the text', () => {
    expect(
      decodeTeamsHtml(
        '<p><a href="https://x.test/?a=1&amp;b=2">link</a> and <a href="mailto:a@b.co">mail</a></p>',
      ),
    ).toBe('\nlink and mail\n\nhttps://x.test/?a=1&b=2\nmailto:a@b.co');
  });

  it('keeps literal newlines inside code blocks and treats mentions as inline', () => {
    expect(
      decodeTeamsHtml(
        '<codeblock class="language-ini"><code>a=1\nb=2</code></codeblock><p><at id="0">Adele</at> hi</p>',
      ),
    ).toBe('\na=1\nb=2\n\nAdele hi\n');
  });

  it('tolerates stray < characters, comments and unterminated tags', () => {
    expect(decodeTeamsHtml('a < b <3 <!-- hidden --> c <p')).toBe('a < b <3  c ');
  });
});

describe('chatMessage segments', () => {
  it('scans body, subject, attachment names and the strings inside adaptive cards, each as its own segment', () => {
    const segments = messageSegments({
      subject: 'Quarterly',
      body: { contentType: 'html', content: '<p>hello</p>' },
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'card text' }] }),
          name: null,
        },
        { contentType: 'reference', contentUrl: 'https://contoso.sharepoint.com/a.docx', name: 'a.docx' },
      ],
    });
    expect(segments.map((s) => [s.name, s.text])).toEqual([
      ['body', '\nhello\n'],
      ['subject', 'Quarterly'],
      ['attachments[0].content', 'card text'],
      ['attachments[1].name', 'a.docx'],
      ['attachments[1].contentUrl', 'https://contoso.sharepoint.com/a.docx'],
    ]);
  });

  it('treats a text body as text, not HTML', () => {
    expect(messageSegments({ body: { contentType: 'text', content: 'a <b>b</b>' } })[0]?.text).toBe(
      'a <b>b</b>',
    );
  });
});

describe('tag classification', () => {
  it('maps every 1-2 character tag name and every block tag, any case, open or close, as the contract says', () => {
    const block = [
      ...['p', 'div', 'li', 'ul', 'ol', 'tr', 'table', 'thead', 'tbody', 'tfoot', 'hr', 'pre'],
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'codeblock', 'section', 'article'],
    ];
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
    const names = [...block, 'br', 'td', 'th', 'img', 'span', 'strong', 'attachment'];
    for (const a of chars.slice(0, 26)) {
      names.push(a);
      for (const b of chars) names.push(a + b);
    }
    const wrong: string[] = [];
    for (const n of names) {
      for (const name of [n, n.toUpperCase()]) {
        const l = name.toLowerCase();
        for (const close of [false, true]) {
          const expected =
            l === 'br' || block.includes(l) ? '\n' : close && (l === 'td' || l === 'th') ? '\t' : '';
          if (decodeTeamsHtml(`x<${close ? '/' : ''}${name}>y`) !== `x${expected}y`)
            wrong.push(`${close ? '/' : ''}${name}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
