export function pushMatch(out, ctx, type, detectorId, start, end, confidence, evidenceDistance) {
    const m = { type, detectorId, start, end, value: ctx.text.slice(start, end), confidence };
    if (evidenceDistance !== undefined)
        m.evidenceDistance = evidenceDistance;
    out.push(m);
}
