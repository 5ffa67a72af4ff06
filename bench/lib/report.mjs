import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const pad = (s, n) => String(s).padEnd(n);
const fmt = (v, d = 1) => (typeof v === 'number' ? v.toFixed(d) : String(v ?? '—'));

/** Prints the summary table and writes results as JSON and as a small SVG bar chart of the ratios. */
export function report(results, outDir) {
  const rows = results.flatMap((r) => r.checks.map((c) => ({ scenario: r.name, ...c })));
  console.log(
    '\n' + [pad('scenario', 10), pad('measure', 44), pad('value', 12), pad('target', 12), 'pass'].join(' '),
  );
  console.log('-'.repeat(88));
  for (const c of rows) {
    console.log(
      [
        pad(c.scenario, 10),
        pad(c.label, 44),
        pad(`${fmt(c.value, c.decimals ?? 2)}${c.unit ?? ''}`, 12),
        pad(c.target ?? '', 12),
        c.pass === undefined ? '' : c.pass ? 'yes' : 'NO',
      ].join(' '),
    );
  }
  for (const r of results) {
    for (const m of r.measurements ?? []) {
      console.log(
        `  ${pad(r.name, 10)} ${pad(m.label, 42)} ${fmt(m.rps, 0)} req/s  p50 ${fmt(m.p50, 0)} ms  p99 ${fmt(m.p99, 0)} ms  errors ${m.errors ?? 0}`,
      );
    }
  }
  mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString();
  writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify({ at: stamp, results }, null, 2));
  writeFileSync(
    path.join(outDir, 'latest.svg'),
    svgChart(
      rows.filter((c) => c.kind === 'ratio'),
      stamp,
    ),
  );
  console.log(
    `\nresults: ${path.relative(process.cwd(), path.join(outDir, 'latest.json'))}, chart: ${path.relative(process.cwd(), path.join(outDir, 'latest.svg'))}`,
  );
}

function svgChart(ratios, stamp) {
  const w = 720;
  const barH = 28;
  const left = 300;
  const h = 60 + ratios.length * (barH + 12);
  const scale =
    (w - left - 60) / Math.max(1, ...ratios.map((r) => r.value), ...ratios.map((r) => r.targetValue ?? 0));
  const bars = ratios
    .map((r, i) => {
      const y = 40 + i * (barH + 12);
      const bw = Math.max(1, r.value * scale);
      const tx = left + (r.targetValue ?? 0) * scale;
      const color = r.pass ? '#2e7d32' : '#c62828';
      return `<text x="${left - 8}" y="${y + 19}" text-anchor="end" font-size="13">${esc(`${r.scenario}: ${r.label}`)}</text>
<rect x="${left}" y="${y}" width="${bw.toFixed(1)}" height="${barH}" fill="${color}"/>
<text x="${left + bw + 6}" y="${y + 19}" font-size="13">${(r.value * 100).toFixed(0)}%</text>
${r.targetValue !== undefined ? `<line x1="${tx}" x2="${tx}" y1="${y - 3}" y2="${y + barH + 3}" stroke="#000" stroke-dasharray="4 2"/>` : ''}`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="12" y="22" font-size="15" font-weight="bold">Gateway vs same-run baselines (dashed line = target) · ${esc(stamp)}</text>
${bars}
</svg>
`;
}

const esc = (s) => String(s).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
