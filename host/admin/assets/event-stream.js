// A server-sent-events reader over fetch(): EventSource cannot send an Authorization header,
// and a token in the URL would end up in logs. Parses the text/event-stream format
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream)
// and calls onEvent(type, data) per dispatched event. Resolves when the stream ends.
export async function readEventStream(response, onEvent) {
  if (!response.body) throw new Error('the event stream has no body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let type = '';
  let data = [];
  const dispatch = () => {
    if (data.length > 0) onEvent(type || 'message', data.join('\n'));
    type = '';
    data = [];
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = lineEnd(buffer)) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1));
      if (line === '') {
        dispatch();
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let text = colon < 0 ? '' : line.slice(colon + 1);
        if (text.startsWith(' ')) text = text.slice(1);
        if (field === 'event') type = text;
        else if (field === 'data') data.push(text);
      }
    }
  }
}

function lineEnd(text) {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  // A lone trailing CR may be the first half of CRLF: wait for the next chunk.
  if (cr >= 0 && (lf < 0 || cr < lf)) return cr === text.length - 1 ? -1 : cr;
  return lf;
}
