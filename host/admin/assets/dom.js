// Builds DOM nodes from data with textContent only: log lines and job errors come from
// upstream APIs, so nothing the server sends is ever parsed as HTML.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name === 'text') node.textContent = value;
    else if (name === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A table cell that the phone layout labels with its column name (see .stack in style.css).
export function cell(label, content, props = {}) {
  return el('td', { ...props, dataset: { label, ...(props.dataset ?? {}) } }, content);
}

export function formatTime(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

export function timeElement(iso) {
  return el('time', { datetime: iso ?? undefined, text: formatTime(iso) });
}

export function formatCount(n) {
  return typeof n === 'number' ? n.toLocaleString() : '–';
}

export function formatSeconds(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function setMessage(node, text, kind = 'info') {
  node.textContent = text;
  node.dataset.kind = kind;
}
