// The intake screen's one script: the address's candidates appear as the operator types (the
// "Find the address" button does the same without it), each with its possible duplicates. A place
// already ticked stays ticked (and listed) when the candidates are redrawn as the operator types.
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

function labelOf(value) {
  return value.slice(value.indexOf("|") + 1);
}

function show(answer) {
  const kept = box.querySelector("input[name=place]:checked:not([data-auto]), input[type=hidden][name=place]");
  const keep = kept ? kept.value : "";
  box.replaceChildren();
  if (keep && !answer.places.some((place) => place.value === keep)) {
    answer = { ...answer, places: [{ value: keep, label: labelOf(keep), near: "", duplicates: [], kept: true }, ...answer.places] };
  }
  if (!answer.places.length) {
    if (answer.reason) box.append(el("p", { class: "field-error" }, `Nothing found: ${answer.reason}`));
    return;
  }
  const set = el("fieldset", { class: "candidates" });
  set.append(el("legend", {}, "Places found: pick one"));
  for (const [i, place] of answer.places.entries()) {
    const row = el("div", { class: "field inline candidate" });
    const radio = el("input", { type: "radio", id: `place-${i + 1}`, name: "place", value: place.value });
    if (keep ? place.value === keep : answer.places.length === 1) radio.checked = true;
    if (!keep && radio.checked) radio.dataset.auto = "1"; // picked for the operator, not by them
    const label = el("label", { for: `place-${i + 1}` }, place.label);
    if (place.kept) label.append(el("span", { class: "hint" }, " (ticked)"));
    if (place.near) label.append(el("span", { class: "hint" }, ` (${place.near})`));
    row.append(radio, label);
    set.append(row);
    if (place.kept) continue;
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
  }
  box.append(set);
}

async function look() {
  const text = input.value.trim();
  if (text.length < 3 || text === asked) return;
  asked = text;
  const url = `/staff/intake/places?type=${encodeURIComponent(form.dataset.type)}&q=${encodeURIComponent(text)}`;
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (response.ok && input.value.trim() === text) {
      show(await response.json());
      box.dataset.asked = text; // the lookup this list answers (the tests wait for it)
    }
  } catch {
    // offline or refused: the button still finds it
  }
}

if (form && input && box) {
  const ticked = (event) => delete event.target.dataset.auto; // the operator's own choice now
  box.addEventListener("change", ticked);
  box.addEventListener("click", ticked);
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(look, 400);
  });
}
