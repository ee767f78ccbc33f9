// Draws the records-per-minute bar chart into an inline SVG: no library,
// and nothing but SVG attributes, so a strict Content-Security-Policy has nothing to block.
const NS = 'http://www.w3.org/2000/svg';
const HEIGHT = 180;
const LEFT = 44;
const BOTTOM = 22;
const TOP = 8;

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function niceMax(value) {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

function clock(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// The viewBox follows the drawn width, so labels keep their size from phone to desktop;
// the caller draws again when the width changes.
export function renderChart(root, summary, minutes) {
  const WIDTH = Math.max(Math.round(root.getBoundingClientRect().width), 240);
  root.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  const points = Array.isArray(minutes) ? minutes : [];
  const max = niceMax(Math.max(0, ...points.map((p) => p.records ?? 0)));
  const plotWidth = WIDTH - LEFT - 4;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = points.length > 0 ? plotWidth / points.length : plotWidth;
  const nodes = [];
  const labelEvery = WIDTH < 420 ? 30 : 15;

  for (const fraction of [0, 0.5, 1]) {
    const y = TOP + plotHeight * (1 - fraction);
    nodes.push(svg('line', { x1: LEFT, x2: WIDTH - 4, y1: y, y2: y, class: 'grid' }));
    nodes.push(
      svg('text', { x: LEFT - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, Math.round(max * fraction).toLocaleString()),
    );
  }

  points.forEach((point, i) => {
    const records = point.records ?? 0;
    const height = (records / max) * plotHeight;
    const bar = svg('rect', {
      x: LEFT + i * slot + slot * 0.1,
      y: TOP + plotHeight - height,
      width: Math.max(slot * 0.8, 1),
      height: Math.max(height, records > 0 ? 1 : 0),
      class: 'bar',
      'data-records': records,
      'data-at': point.at,
    });
    bar.append(svg('title', {}, `${clock(point.at)}: ${records.toLocaleString()} records`));
    nodes.push(bar);
    // A time label every 15 bars (30 on a phone) keeps the axis legible.
    if (i % labelEvery === 0) {
      nodes.push(
        svg('text', { x: LEFT + i * slot + slot / 2, y: HEIGHT - 6, 'text-anchor': 'middle', class: 'axis' }, clock(point.at)),
      );
    }
  });
  root.replaceChildren(...nodes);

  const total = points.reduce((sum, p) => sum + (p.records ?? 0), 0);
  if (points.length === 0) {
    summary.textContent = 'No data yet.';
  } else {
    const peak = points.reduce((best, p) => ((p.records ?? 0) > (best.records ?? 0) ? p : best), points[0]);
    summary.textContent =
      total === 0
        ? `No records synced in the last ${points.length} minutes.`
        : `${total.toLocaleString()} records in the last ${points.length} minutes; peak ${(peak.records ?? 0).toLocaleString()} at ${clock(peak.at)}.`;
  }
  summary.dataset.total = String(total);
}
