/**
 * Charts drawn as SVG through DOM APIs: no markup strings, no inline styles (the CSP forbids
 * them), colours from presentation attributes. Every chart has a text alternative beside it.
 */
const NS = 'http://www.w3.org/2000/svg';

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export interface Bar {
  label: string;
  value: number;
  /** A comparison value drawn as a tick (e.g. the previous weeks' average). */
  compare?: number;
}

/** Horizontal bars with a comparison tick. */
export function barChart(title: string, bars: Bar[], colour = '#1f4e5f'): SVGSVGElement {
  const rowH = 24;
  const labelW = 190;
  const width = 560;
  const barMax = width - labelW - 60;
  const max = Math.max(1, ...bars.flatMap((b) => [b.value, b.compare ?? 0]));
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${bars.length * rowH + 8}`,
    role: 'img',
    'aria-label': title,
    class: 'wf-chart',
  }) as SVGSVGElement;
  bars.forEach((b, i) => {
    const y = i * rowH + 4;
    svg.append(el('text', { x: 0, y: y + 15, 'font-size': 13, fill: '#1d2a30' }, b.label));
    const w = b.value === 0 ? 0 : Math.max(2, (b.value / max) * barMax);
    svg.append(el('rect', { x: labelW, y: y + 3, width: w, height: rowH - 8, rx: 3, fill: colour }));
    svg.append(
      el('text', { x: labelW + w + 6, y: y + 15, 'font-size': 12, fill: '#1d2a30' }, String(b.value)),
    );
    if (b.compare !== undefined && b.compare > 0) {
      const x = labelW + (b.compare / max) * barMax;
      svg.append(
        el('line', { x1: x, x2: x, y1: y + 1, y2: y + rowH - 3, stroke: '#c2541b', 'stroke-width': 2 }),
      );
    }
  });
  return svg;
}

/** Weekly totals as columns, oldest on the left, this week highlighted. */
export function weekColumns(title: string, values: { label: string; value: number }[]): SVGSVGElement {
  const width = 560;
  const height = 180;
  const base = height - 28;
  const colW = width / values.length;
  const max = Math.max(1, ...values.map((v) => v.value));
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': title,
    class: 'wf-chart',
  }) as SVGSVGElement;
  svg.append(el('line', { x1: 0, x2: width, y1: base, y2: base, stroke: '#dcdfdb' }));
  values.forEach((v, i) => {
    const hgt = v.value === 0 ? 0 : Math.max(2, (v.value / max) * (base - 24));
    const x = i * colW + colW * 0.2;
    const last = i === values.length - 1;
    svg.append(
      el('rect', {
        x,
        y: base - hgt,
        width: colW * 0.6,
        height: hgt,
        rx: 3,
        fill: last ? '#1f4e5f' : '#9cb8c2',
      }),
    );
    svg.append(
      el(
        'text',
        { x: x + colW * 0.3, y: base - hgt - 6, 'font-size': 12, 'text-anchor': 'middle', fill: '#1d2a30' },
        String(v.value),
      ),
    );
    svg.append(
      el(
        'text',
        { x: x + colW * 0.3, y: height - 8, 'font-size': 11, 'text-anchor': 'middle', fill: '#5c6b72' },
        v.label,
      ),
    );
  });
  return svg;
}
