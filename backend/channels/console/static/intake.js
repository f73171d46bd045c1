// The intake screen's one script: the address's candidates appear as the operator types (the
// "Find the address" button does the same without it), each with its possible duplicates.
const form = document.getElementById("intake");
const input = document.getElementById("address");
const box = document.getElementById("candidates");
let timer = null;
let asked = "";

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function show(answer) {
  box.replaceChildren();
  if (!answer.places.length) {
    if (answer.reason) box.append(el("p", { class: "field-error" }, `Nothing found: ${answer.reason}`));
    return;
  }
  const set = el("fieldset", { class: "candidates" });
  set.append(el("legend", {}, "Places found: pick one"));
  answer.places.forEach((place, i) => {
    const row = el("div", { class: "field inline candidate" });
    const radio = el("input", { type: "radio", id: `place-${i + 1}`, name: "place", value: place.value });
    if (answer.places.length === 1) radio.checked = true;
    const label = el("label", { for: `place-${i + 1}` }, place.label);
    if (place.near) label.append(el("span", { class: "hint" }, ` (${place.near})`));
    row.append(radio, label);
    set.append(row);
    if (place.duplicates.length) {
      const dups = el("div", { class: "duplicates" });
      dups.append(el("p", {}, "Possible duplicates (open, same type, within 150 m):"));
      const list = el("ul");
      for (const d of place.duplicates) {
        list.append(el("li", {}, `${d.trackingNumber} · ${d.status} · ${d.address || ""}`));
      }
      dups.append(list);
      set.append(dups);
    } else {
      set.append(el("p", { class: "hint duplicates" }, "No open request of this type within 150 m."));
    }
  });
  box.append(set);
}

async function look() {
  const text = input.value.trim();
  if (text.length < 3 || text === asked) return;
  asked = text;
  const url = `/staff/intake/places?type=${encodeURIComponent(form.dataset.type)}&q=${encodeURIComponent(text)}`;
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (response.ok && input.value.trim() === text) show(await response.json());
  } catch {
    // offline or refused: the button still finds it
  }
}

if (form && input && box) {
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(look, 400);
  });
}
