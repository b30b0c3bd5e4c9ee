// Antiphon search page: Pagefind's index, in shards searched as one, queried in the browser.
// Works at / and under a subpath. Every result is built as text nodes: nothing from a transcript
// can become markup.
(() => {
  "use strict";
  const form = document.querySelector(".search-form");
  const status = document.querySelector(".search-status");
  const list = document.querySelector(".search-results");
  const moreResults = document.querySelector(".search-more");
  const input = form.elements.q;
  // One select per Pagefind filter, named after it (speaker, tag, ending).
  const selects = [...form.querySelectorAll(".search-filters select")];
  const PAGE = 20; // conversations shown at a time
  const HITS = 3; // matching messages shown per conversation before "more in this conversation"
  const WORDS = 26; // words in an excerpt
  const TURN_MARKS = "!#$%()*+,-/:;=?@[]^{|}~"; // as pages.py writes them
  const DIGITS = "!#$%()*+,-/:;=?@"; // as generator/search/records.py writes numbers
  // Chinese and Japanese characters: the index holds each as a word of its own (the same ranges as
  // CJK in generator/search/documents.py), so a query's are put apart too, and excerpts join them.
  const CJK = "\\u3000-\\u303f\\u3040-\\u30ff\\u31f0-\\u31ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff" +
    "\\uff01-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65\\uff66-\\uff9f\\u{20000}-\\u{3134f}";
  const CJK_CHARACTER = new RegExp(`([${CJK}])`, "gu");
  const HAS_CJK = new RegExp(`[${CJK}]`, "u");
  const CJK_AT_START = new RegExp(`^[${CJK}]`, "u");
  const CJK_AT_END = new RegExp(`[${CJK}]$`, "u");

  // Listeners are attached at once; searches wait for the index to load.
  const ready = (async () => {
    const root = new URL(form.dataset.root, location.href);
    const answer = await fetch(new URL(form.dataset.index, location.href));
    if (!answer.ok) throw new Error(`${answer.status} for the list of index shards`);
    const shards = (await answer.json()).shards.map((folder) => new URL(folder, root).href);
    if (!shards.length) return null; // an archive with no conversations
    const pagefind = await import(shards[0] + "pagefind.js");
    // Result URLs are site-relative ("/c/slug/"); prefix the path this copy of the site lives under.
    const baseUrl = root.pathname;
    await pagefind.options({ baseUrl });
    await pagefind.init();
    await Promise.all(shards.slice(1).map((folder) => pagefind.mergeIndex(folder, { baseUrl })));
    return pagefind;
  })();

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const select of selects) select.value = params.get(select.name) || "";

  // Where each message starts, { id: "m-N", location }, in order: from the page's record (where the
  // message numbers skip, and the words before each since the last, in punctuation marks: see
  // generator/search/records.py), or from the anchors Pagefind found in a page given as HTML.
  function anchorsOf(data) {
    const record = data.meta.messages;
    if (record === undefined) {
      return data.anchors.filter((a) => /^m-\d+$/.test(a.id)).sort((a, b) => a.location - b.location);
    }
    if (!record) return []; // no messages
    const value = (digits) => [...digits].reduce((sum, digit) => sum * 16 + DIGITS.indexOf(digit), 0);
    const anchors = [];
    let number = 0;
    let location = 0;
    for (const token of record.split(" ")) {
      const [gap, words] = token.includes(".") ? token.split(".") : ["", token];
      number += gap ? value(gap) : 1;
      location += value(words);
      anchors.push({ id: `m-${number}`, location });
    }
    return anchors;
  }

  // The messages a result matched in, best first: each match belongs to the last message anchor
  // (id "m-N") at or before it. Excerpts are cut from the page's words as Pagefind splits them.
  function hitsOf(data, together) {
    const anchors = anchorsOf(data);
    const spaced = !data.content.includes("\u200B");
    const words = spaced ? data.content.split(/[\r\n\s]+/g) : data.content.split("\u200B");
    const weight = new Map(data.weighted_locations.map((w) => [w.location, w.balanced_score]));
    const hits = new Map();
    let next = 0;
    for (const location of inRows(data.locations, together).sort((a, b) => a - b)) {
      while (next < anchors.length && anchors[next].location <= location) next += 1;
      const anchor = next > 0 ? anchors[next - 1] : null;
      const key = anchor ? anchor.id : "";
      if (!hits.has(key)) {
        const end = next < anchors.length ? anchors[next].location : words.length;
        hits.set(key, { anchor, start: anchor ? anchor.location : 0, end, locations: [], score: 0 });
      }
      const hit = hits.get(key);
      hit.locations.push(location);
      hit.score += weight.get(location) || 1;
    }
    const sorted = [...hits.values()].sort((a, b) => b.score - a.score || a.start - b.start);
    return sorted.map((hit) => ({ ...hit, excerpt: excerptOf(words, hit, spaced ? " " : "") }));
  }

  // Up to WORDS words of the message around its first match (twice as many Chinese or Japanese
  // characters), matches marked.
  function excerptOf(words, hit, joiner) {
    const first = hit.locations[0];
    const size = CJK_AT_START.test(words[first] || "") ? 2 * WORDS : WORDS; // a character is about half a word
    const begin = Math.max(hit.start, Math.min(first - Math.floor(size / 4), hit.end - size));
    const end = Math.min(hit.end, begin + size);
    const marked = new Set(hit.locations);
    const paragraph = document.createElement("p");
    paragraph.className = "search-excerpt";
    if (begin > hit.start) paragraph.append("… ");
    for (let position = begin; position < end; position += 1) {
      if (position > begin && !(CJK_AT_END.test(words[position - 1]) && CJK_AT_START.test(words[position]))) {
        paragraph.append(joiner);
      }
      if (marked.has(position)) {
        const mark = document.createElement("mark");
        mark.textContent = words[position];
        paragraph.append(mark);
      } else {
        paragraph.append(words[position]);
      }
    }
    if (end < hit.end) paragraph.append(" …");
    return paragraph;
  }

  // Who wrote message n: the page's turns give each message number the mark of its speaker's place
  // among the page's seats, where a model took two (a list in JSON), else among its speaker filters
  // (see _who_said_what in pages.py); "" where they do not say.
  function speakerOf(data, n) {
    const place = TURN_MARKS.indexOf((data.meta.turns || "")[n - 1]);
    return place >= 0 ? String(seatsOf(data)[place] || "") : "";
  }

  function seatsOf(data) {
    if (!data.meta.seats) return data.filters.speaker || [];
    try {
      const seats = JSON.parse(data.meta.seats);
      return Array.isArray(seats) ? seats : [];
    } catch (error) {
      return [];
    }
  }

  function hitItem(data, hit) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = data.url + (hit.anchor ? `#${hit.anchor.id}` : "");
    const where = document.createElement("span");
    where.className = "search-where";
    where.textContent = hit.anchor ? `message ${hit.anchor.id.slice(2)}` : "in the title"; // all before message 1
    link.append(where);
    const speaker = hit.anchor ? speakerOf(data, Number(hit.anchor.id.slice(2))) : "";
    if (speaker) {
      const who = document.createElement("span");
      who.className = "search-who";
      who.textContent = ` · ${speaker}`;
      link.append(who);
    }
    item.append(link, hit.excerpt);
    return item;
  }

  // Pagefind matches the words of a title too (its metadata): a conversation found by its title
  // alone shows that title as its match.
  function titleHit(data) {
    const excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    excerpt.textContent = data.meta.title || data.url;
    return { anchor: null, excerpt };
  }

  function render(data) {
    const found = hitsOf(data, together);
    const hits = found.length || !worded ? found : [titleHit(data)];
    const item = document.createElement("li");
    const title = document.createElement("a");
    title.className = "search-title";
    title.href = data.url + (hits.length && hits[0].anchor ? `#${hits[0].anchor.id}` : "");
    title.textContent = data.meta.title || data.url;
    const meta = document.createElement("p");
    meta.className = "search-meta";
    const messages = hits.filter((hit) => hit.anchor).length;
    const matched = messages === 1 ? "1 message matches" : `${messages} messages match`;
    meta.textContent = [data.meta.date, (data.filters.speaker || []).join(" ↔ "), messages ? matched : ""]
      .filter(Boolean).join(" · ");
    const shown = document.createElement("ol");
    shown.className = "search-hits";
    shown.append(...hits.slice(0, HITS).map((hit) => hitItem(data, hit)));
    item.append(title, meta, shown);
    if (hits.length > HITS) {
      const more = document.createElement("button");
      more.type = "button";
      more.className = "search-more-hits";
      more.textContent = `${hits.length - HITS} more in this conversation`;
      more.addEventListener("click", () => {
        shown.append(...hits.slice(HITS).map((hit) => hitItem(data, hit)));
        more.remove();
        shown.children[HITS].querySelector("a").focus();
      });
      item.append(more);
    }
    return item;
  }

  let latest = 0;
  let results = [];
  let together = 1; // how many words of the query stand together in a match (see find)
  let worded = false; // whether the search has words (or filters only)
  let showing = 0;
  let loading = null; // the page of results being loaded: a second click waits for it

  function showMore(run) {
    loading = (loading || Promise.resolve()).then(() => showPage(run));
    return loading;
  }

  async function showPage(run) {
    if (run !== latest || showing >= results.length) return;
    const page = results.slice(showing, showing + PAGE);
    const items = await Promise.all(page.map((result) => result.data()));
    if (run !== latest) return;
    const first = showing;
    showing += page.length;
    list.append(...items.map(render));
    moreResults.hidden = showing >= results.length;
    const count = results.length;
    status.textContent = `${count} conversation${count === 1 ? "" : "s"} found` +
      (count > showing ? `, showing the first ${showing}.` : ".");
    if (first > 0) list.children[first].querySelector("a").focus();
  }

  // The query Pagefind is given: Chinese and Japanese characters apart, as in the index.
  function pagefindQuery(query) {
    return HAS_CJK.test(query) ? query.replace(CJK_CHARACTER, " $1 ").replace(/\s+/g, " ").trim() : query;
  }

  // The conversations that match, best first, and how many words of the query must stand together
  // in a match. Chinese or Japanese typed without spaces is looked for as written, its characters
  // one after the other: Pagefind's exact search finds those conversations, but ranks them all
  // alike and gives one match each, so they are taken in the order and with the matches of the
  // search for the same characters anywhere.
  async function find(pagefind, query, filters) {
    const apart = query && pagefindQuery(query);
    if (!query || apart === query || /\s|"/.test(query)) {
      return { results: (await pagefind.search(apart || null, { filters })).results, together: 1 };
    }
    const [exact, ranked] = await Promise.all([pagefind.search(`"${apart}"`, { filters }),
                                               pagefind.search(apart, { filters })]);
    const found = new Set(exact.results.map((result) => result.id));
    return { results: ranked.results.filter((result) => found.has(result.id)), together: apart.split(" ").length };
  }

  // Of a conversation's matched words, those in a row of at least ``together`` of them.
  function inRows(locations, together) {
    if (together < 2) return locations;
    const matched = new Set(locations);
    const kept = new Set();
    for (const start of [...matched].sort((a, b) => a - b)) {
      if (matched.has(start - 1)) continue;
      let end = start;
      while (matched.has(end + 1)) end += 1;
      if (end - start + 1 >= together) for (let at = start; at <= end; at += 1) kept.add(at);
    }
    return [...kept];
  }

  async function search() {
    const run = ++latest;
    const query = input.value.trim();
    const filters = {};
    const state = new URLSearchParams();
    if (query) state.set("q", query);
    for (const select of selects) {
      if (!select.value) continue;
      filters[select.name] = select.value;
      state.set(select.name, select.value);
    }
    history.replaceState(null, "", state.toString() ? `?${state}` : location.pathname);
    moreResults.hidden = true;
    if (!query && !Object.keys(filters).length) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    let pagefind;
    try {
      pagefind = await ready;
    } catch (error) {
      status.textContent = "Search is unavailable: the search index was not found.";
      return;
    }
    if (run !== latest) return;
    if (!pagefind) {
      status.textContent = "There is nothing to search yet.";
      return;
    }
    const response = await find(pagefind, query, filters);
    if (run !== latest) return;
    results = response.results;
    together = response.together;
    worded = Boolean(query);
    showing = 0;
    loading = null;
    list.replaceChildren();
    if (!results.length) {
      status.textContent = "No conversation matches.";
      return;
    }
    await showMore(run);
  }

  // While the search waits for typing to pause, every shard starts loading the part of its index
  // the words typed so far need (as Pagefind's own search box does).
  function preload() {
    const query = input.value.trim();
    if (query) ready.then((pagefind) => pagefind && pagefind.preload(pagefindQuery(query))).catch(() => {});
  }

  let timer;
  input.addEventListener("input", () => { clearTimeout(timer); preload(); timer = setTimeout(search, 150); });
  for (const select of selects) select.addEventListener("change", search);
  form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); search(); });
  moreResults.addEventListener("click", () => showMore(latest));
  if (input.value || selects.some((select) => select.value)) search();
})();
