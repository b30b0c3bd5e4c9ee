// Antiphon search page: Pagefind's index, queried in the browser. Works at / and under a subpath.
(async () => {
  "use strict";
  const form = document.querySelector(".search-form");
  const status = document.querySelector(".search-status");
  const list = document.querySelector(".search-results");
  const { q: input, speaker, tag } = form.elements;
  const RESULTS = 30;

  let pagefind;
  try {
    pagefind = await import(new URL(form.dataset.bundle, location.href).href);
    // Result URLs are site-relative ("/c/slug/"); prefix the path this copy of the site lives under.
    await pagefind.options({ baseUrl: new URL(form.dataset.root, location.href).pathname });
    await pagefind.init();
  } catch (error) {
    status.textContent = "Search is unavailable: the search index was not found.";
    return;
  }

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  speaker.value = params.get("speaker") || "";
  tag.value = params.get("tag") || "";

  // The message a result points into: the last message anchor before the first match.
  function messageAnchor(data) {
    if (!data.locations.length) return null;
    const first = Math.min(...data.locations);
    let best = null;
    for (const anchor of data.anchors) {
      if (/^m-\d+$/.test(anchor.id) && anchor.location <= first && (!best || anchor.location >= best.location)) {
        best = anchor;
      }
    }
    return best;
  }

  // Pagefind marks matches with <mark>; build the excerpt as text so nothing else can become markup.
  function excerptNode(excerpt) {
    const paragraph = document.createElement("p");
    paragraph.className = "search-excerpt";
    excerpt.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
      const marked = /^<mark>(.*)<\/mark>$/.exec(part);
      const text = decode(marked ? marked[1] : part);
      if (marked) {
        const mark = document.createElement("mark");
        mark.textContent = text;
        paragraph.append(mark);
      } else {
        paragraph.append(text);
      }
    });
    return paragraph;
  }

  function decode(text) {
    const area = document.createElement("textarea");
    area.innerHTML = text.replace(/</g, "&lt;");
    return area.value;
  }

  function render(data) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    const anchor = messageAnchor(data);
    link.href = data.url + (anchor ? `#${anchor.id}` : "");
    link.className = "search-title";
    link.textContent = data.meta.title || data.url;
    item.append(link);
    const meta = document.createElement("p");
    meta.className = "search-meta";
    meta.textContent = [data.meta.date, anchor ? `message ${anchor.id.slice(2)}` : "",
      (data.filters.speaker || []).join(" ↔ ")].filter(Boolean).join(" · ");
    item.append(meta, excerptNode(data.excerpt));
    return item;
  }

  let latest = 0;
  async function search() {
    const run = ++latest;
    const query = input.value.trim();
    const filters = {};
    if (speaker.value) filters.speaker = speaker.value;
    if (tag.value) filters.tag = tag.value;
    const state = new URLSearchParams();
    if (query) state.set("q", query);
    if (speaker.value) state.set("speaker", speaker.value);
    if (tag.value) state.set("tag", tag.value);
    history.replaceState(null, "", state.toString() ? `?${state}` : location.pathname);
    if (!query && !Object.keys(filters).length) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    const response = await pagefind.search(query || null, { filters });
    if (run !== latest) return;
    const shown = await Promise.all(response.results.slice(0, RESULTS).map((result) => result.data()));
    if (run !== latest) return;
    list.replaceChildren(...shown.map(render));
    const count = response.results.length;
    status.textContent = count === 0 ? "No conversation matches."
      : `${count} conversation${count === 1 ? "" : "s"} found${count > RESULTS ? `, showing the first ${RESULTS}` : ""}.`;
  }

  let timer;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 150); });
  speaker.addEventListener("change", search);
  tag.addEventListener("change", search);
  form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); search(); });
  if (input.value || speaker.value || tag.value) search();
})();
