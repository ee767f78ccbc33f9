// Downloads a CSV export with the bearer token (a plain link cannot send it): fetch it,
// wrap the bytes in a Blob URL and click a temporary download link.
export async function downloadCsv(api, path, filename) {
  const blob = await api.getBlob(path);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by now; keep it a little for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  const text = await blob.text();
  // Rows after the header; quoted fields may hold newlines, so count record ends outside quotes.
  let rows = 0;
  let quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) ++rows;
  }
  if (text.length > 0 && !text.endsWith('\n')) ++rows;
  return { bytes: blob.size, rows: Math.max(rows - 1, 0) };
}
