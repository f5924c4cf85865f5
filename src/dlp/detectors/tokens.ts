import { T_AIZA, T_EYJ, T_GH, T_NPM, T_PEM, T_SLACK, T_STRIPE } from '../context.js';
import { type Detector, markedFake, pushMatch } from '../detector.js';
import { isPlaceholder, pemVerdict, shannonEntropy, validCrc32Base62Token, validJwt } from '../validators.js';

const GH_RE =
  /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22}_[A-Za-z0-9_]{59})(?![A-Za-z0-9_])/g;

export const githubTokenDetector: Detector = {
  id: 'github_token',
  types: ['github_token'],
  scan(ctx, out) {
    const t = ctx.text;
    if (!(ctx.triggers & T_GH)) return;
    GH_RE.lastIndex = 0;
    for (let m = GH_RE.exec(t); m !== null; m = GH_RE.exec(t)) {
      const s = m[0];
      if (isPlaceholder(s.slice(4))) continue;
      let conf: number;
      if (s.startsWith('github_pat_')) conf = shannonEntropy(s.slice(11)) >= 3 ? 85 : 0;
      else conf = validCrc32Base62Token(s) ? 85 : 0;
      if (conf === 0) continue;
      pushMatch(out, ctx, 'github_token', this.id, m.index, m.index + s.length, conf);
    }
  },
};

const NPM_RE = /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g;
const NPM_AUTH_RE =
  /_authToken[ \t]*=[ \t]*["']?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?![0-9A-Za-z-])/g;

export const npmTokenDetector: Detector = {
  id: 'npm_token',
  types: ['npm_token'],
  scan(ctx, out) {
    const t = ctx.text;
    if (!(ctx.triggers & T_NPM)) return;
    if (t.indexOf('npm_') >= 0) {
      NPM_RE.lastIndex = 0;
      for (let m = NPM_RE.exec(t); m !== null; m = NPM_RE.exec(t)) {
        if (!validCrc32Base62Token(m[0])) continue;
        pushMatch(out, ctx, 'npm_token', this.id, m.index, m.index + 40, 85);
      }
    }
    if (t.indexOf('_authToken') >= 0) {
      NPM_AUTH_RE.lastIndex = 0;
      for (let m = NPM_AUTH_RE.exec(t); m !== null; m = NPM_AUTH_RE.exec(t)) {
        const g = m[1] as string;
        if (/^[0-]+$/.test(g) || /^(.)\1{7}/.test(g)) continue;
        const start = m.index + m[0].length - g.length;
        pushMatch(out, ctx, 'npm_token', this.id, start, start + g.length, 85);
      }
    }
  },
};

/** Tokens printed in Slack's API documentation. */
const SLACK_DOC_TOKENS = new Set([
  'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy',
  'xoxp-23984754863-2348975623103',
]);
const SLACK_RE =
  /(?<![A-Za-z0-9_-])(?:xox[bpaerso]-\d{6,15}(?:-\d{6,15}){0,2}-[A-Za-z0-9]{16,64}|xoxe\.xox[bp]-\d-[A-Za-z0-9]{100,200}|xapp-\d-[A-Z0-9]{6,15}-\d{6,15}-[A-Za-z0-9]{32,80})(?![A-Za-z0-9_-])/g;

export const slackTokenDetector: Detector = {
  id: 'slack_token',
  types: ['slack_token'],
  scan(ctx, out) {
    const t = ctx.text;
    if (!(ctx.triggers & T_SLACK)) return;
    SLACK_RE.lastIndex = 0;
    for (let m = SLACK_RE.exec(t); m !== null; m = SLACK_RE.exec(t)) {
      const s = m[0];
      const tail = s.slice(s.lastIndexOf('-') + 1);
      if (SLACK_DOC_TOKENS.has(s) || isPlaceholder(tail) || shannonEntropy(tail) < 3) continue;
      pushMatch(out, ctx, 'slack_token', this.id, m.index, m.index + s.length, 85);
    }
  },
};

/** Keys printed in Google's public documentation samples. */
const GOOGLE_DOC_KEYS = new Set([
  'AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe',
  'AIzaSyBOti4mM-6x9WDnZIjIeyEU21OpBXqWBgw',
]);
const GOOGLE_RE = /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g;

export const googleApiKeyDetector: Detector = {
  id: 'google_api_key',
  types: ['google_api_key'],
  scan(ctx, out) {
    const t = ctx.text;
    if (!(ctx.triggers & T_AIZA)) return;
    GOOGLE_RE.lastIndex = 0;
    for (let m = GOOGLE_RE.exec(t); m !== null; m = GOOGLE_RE.exec(t)) {
      const s = m[0];
      if (GOOGLE_DOC_KEYS.has(s) || isPlaceholder(s.slice(4)) || shannonEntropy(s) < 3.5) continue;
      if (markedFake(ctx, m.index, m.index + 39)) continue;
      pushMatch(out, ctx, 'google_api_key', this.id, m.index, m.index + 39, 85);
    }
  },
};

/** Keys published in Stripe's own documentation. */
const STRIPE_DOC_KEYS = new Set([
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  'sk_test_BQokikJOvBiI2HlWgH4olfQ2',
  'sk_test_26PHem9AhJZvU623DfE1x4sd',
]);
const STRIPE_RE = /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{24,99}(?![A-Za-z0-9_])/g;

export const stripeKeyDetector: Detector = {
  id: 'stripe_key',
  types: ['stripe_key'],
  scan(ctx, out) {
    const t = ctx.text;
    if (!(ctx.triggers & T_STRIPE)) return;
    STRIPE_RE.lastIndex = 0;
    for (let m = STRIPE_RE.exec(t); m !== null; m = STRIPE_RE.exec(t)) {
      const s = m[0];
      if (STRIPE_DOC_KEYS.has(s) || s.startsWith('sk_test_4eC39HqLyjWDarjtT1zdp7dc')) continue;
      const body = s.slice(8);
      if (isPlaceholder(body) || shannonEntropy(body) < 3) continue;
      pushMatch(out, ctx, 'stripe_key', this.id, m.index, m.index + s.length, 85);
    }
  },
};

/** A header starts `{"` (`eyJ`) or, written with a space after the brace, `{ "` (`eyAi`); validJwt parses it. */
const JWT_RE =
  /(?<![A-Za-z0-9_-])ey(?:J|Ai)[A-Za-z0-9_-]{8,}\.ey[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g;

export const jwtDetector: Detector = {
  id: 'jwt',
  types: ['jwt'],
  scan(ctx, out) {
    const t = ctx.text;
    if (!(ctx.triggers & T_EYJ)) return;
    JWT_RE.lastIndex = 0;
    for (let m = JWT_RE.exec(t); m !== null; m = JWT_RE.exec(t)) {
      if (!validJwt(m[0])) continue;
      pushMatch(out, ctx, 'jwt', this.id, m.index, m.index + m[0].length, 85);
    }
  },
};

const PEM_BEGIN_RE = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g;

export const privateKeyDetector: Detector = {
  id: 'private_key',
  types: ['private_key'],
  scan(ctx, out) {
    const t = ctx.text;
    if (!(ctx.triggers & T_PEM)) return;
    PEM_BEGIN_RE.lastIndex = 0;
    for (let m = PEM_BEGIN_RE.exec(t); m !== null; m = PEM_BEGIN_RE.exec(t)) {
      const label = `${m[1] ?? ''}PRIVATE KEY${m[2] ?? ''}`;
      const endMarker = `-----END ${label}-----`;
      const endAt = t.indexOf(endMarker, m.index + m[0].length);
      if (endAt < 0 || endAt - m.index > 20000) continue;
      const end = endAt + endMarker.length;
      // A PEM inside JSON (a GCP service-account file: `"private_key": "-----BEGIN…\\n…"`) has its line breaks
      // written as `\n` escapes (and may escape `/` as `\/`); the finding is the block as written.
      const written = t.slice(m.index, end);
      const block = (
        written.includes('\\n') ? written.replace(/\\n/g, '\n').replace(/\\\//g, '/') : written
      ).replace(/\r\n?/g, '\n');
      const verdict = pemVerdict(block);
      if (verdict === 'invalid') continue;
      pushMatch(out, ctx, 'private_key', this.id, m.index, end, verdict === 'parsed' ? 85 : 65);
      PEM_BEGIN_RE.lastIndex = end;
    }
  },
};
