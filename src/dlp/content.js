/**
 * Teams `chatMessage` → scannable segments (body, subject, attachment names/URLs, card and snippet text).
 * Each segment keeps its own offsets; proximity windows never cross segments.
 */
import { decodeTeamsHtml } from './html.js';
const SKIP_JSON_KEYS = new Set([
    'type',
    '$schema',
    'version',
    'id',
    'style',
    'size',
    'weight',
    'color',
    'horizontalAlignment',
    'spacing',
    'width',
    'height',
]);
function collectStrings(value, out, depth) {
    if (depth > 32 || out.length > 10_000)
        return;
    if (typeof value === 'string') {
        if (value.length > 0 && !value.startsWith('data:'))
            out.push(value);
    }
    else if (Array.isArray(value)) {
        for (const v of value)
            collectStrings(v, out, depth + 1);
    }
    else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
            if (typeof v === 'string' && SKIP_JSON_KEYS.has(k))
                continue;
            collectStrings(v, out, depth + 1);
        }
    }
}
/** Text inside an attachment's `content`: JSON cards/snippets → their string values, HTML → decoded, else as is. */
export function attachmentText(content, contentType) {
    const trimmed = content.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        try {
            const strings = [];
            collectStrings(JSON.parse(content), strings, 0);
            return strings.join('\n');
        }
        catch {
            // not JSON: fall through
        }
    }
    if ((contentType ?? '').includes('html') || /<[a-z][^>]*>/i.test(content))
        return decodeTeamsHtml(content);
    return content;
}
export function messageSegments(message) {
    const segments = [];
    const body = message.body;
    if (body && typeof body.content === 'string' && body.content.length > 0) {
        const isText = (body.contentType ?? 'html').toLowerCase() === 'text';
        segments.push({ name: 'body', text: isText ? body.content : decodeTeamsHtml(body.content) });
    }
    if (typeof message.subject === 'string' && message.subject.length > 0)
        segments.push({ name: 'subject', text: decodeTeamsHtml(message.subject) });
    const attachments = Array.isArray(message.attachments) ? message.attachments : [];
    attachments.forEach((a, i) => {
        if (!a || typeof a !== 'object')
            return;
        if (typeof a.name === 'string' && a.name.length > 0)
            segments.push({ name: `attachments[${i}].name`, text: a.name });
        if (typeof a.contentUrl === 'string' && a.contentUrl.length > 0 && !a.contentUrl.startsWith('data:')) {
            segments.push({ name: `attachments[${i}].contentUrl`, text: a.contentUrl });
        }
        if (typeof a.content === 'string' && a.content.length > 0) {
            const text = attachmentText(a.content, a.contentType);
            if (text.length > 0)
                segments.push({ name: `attachments[${i}].content`, text });
        }
    });
    return segments;
}
