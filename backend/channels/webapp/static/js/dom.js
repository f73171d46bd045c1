// node(tag, attrs, ...children): an element built in one call, for the views that draw by hand.
// attrs: `text` is the text content; any other is an attribute (true: present and empty;
// undefined, null or false: left out).
export function node(tag, attrs = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') n.textContent = v;
    else if (v !== undefined && v !== null && v !== false) n.setAttribute(k, v === true ? '' : v);
  }
  n.append(...children);
  return n;
}
