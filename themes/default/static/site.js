// Antiphon default theme: copy-link buttons, the reader's place across reloads, the turn map and keyboard
// shortcuts. The pages work without it.
(() => {
  "use strict";

  // A message's permalink: the link in its header to its own id (the header's last link, as the
  // theme writes it; looked for among the others only when it is not).
  const permalinkOf = (message) => {
    const last = message.firstElementChild?.lastElementChild;
    if (last?.getAttribute("href") === `#${message.id}`) return last;
    return [...message.querySelectorAll(":scope > header > a")].find((a) => a.getAttribute("href") === `#${message.id}`);
  };

  // Copy link: a button beside each message's permalink. Copies of one button, and one listener for
  // them all: a session of thousands of messages gets its buttons in a tenth of the time.
  const model = document.createElement("button");
  model.type = "button";
  model.className = "copy-link";
  model.textContent = "Copy link";
  for (const message of document.querySelectorAll(".msg[id]")) {
    const permalink = permalinkOf(message);
    if (!permalink) continue;
    const button = model.cloneNode(true);
    button.setAttribute("aria-label", `Copy link to message ${permalink.textContent.replace("#", "")}`);
    permalink.after(button);
  }
  document.addEventListener("click", async (event) => {
    const button = event.target.closest?.("button.copy-link");
    const permalink = button?.previousElementSibling;
    if (!permalink) return;
    const url = new URL(permalink.getAttribute("href"), location.href).href;
    try {
      await navigator.clipboard.writeText(url);
      button.textContent = "Copied";
    } catch {
      history.replaceState(null, "", permalink.getAttribute("href"));
      button.textContent = "Link in address bar";
    }
    setTimeout(() => { button.textContent = "Copy link"; }, 2000);
  });

  // Where the reader was, kept across a reload (the preview server reloads on each edit) and a return
  // to the page: the message at the top of the window, and how far into it. The browser's own
  // restoration keeps a pixel offset, which misses on a long page whose messages far off the screen
  // are not laid out yet (content-visibility, in style.css). Only loading the page again is left to
  // this: Back and Forward within the page (after a "#m-N" link) stay the browser's.
  const shown = document.querySelectorAll(".messages .msg[id]");
  if (shown.length && "scrollRestoration" in history) {
    const key = `antiphon-place:${location.pathname}`;
    addEventListener("pagehide", () => {
      history.scrollRestoration = "manual";  // for this page's next load, which restores it as below
      // Below the last message (the related conversations, the footer): kept by the last message.
      const top = [...shown].find((message) => message.getBoundingClientRect().bottom > 0) || shown[shown.length - 1];
      try {
        sessionStorage.setItem(key, JSON.stringify([location.hash, top.id, top.getBoundingClientRect().top]));
      } catch { /* storage may be off: the page opens at its top */ }
    });
    addEventListener("pageshow", (event) => {
      if (event.persisted) history.scrollRestoration = "auto";  // back from the browser's cache, as it was
    });
    let place = null;
    try { place = JSON.parse(sessionStorage.getItem(key)); } catch { /* as above */ }
    const how = performance.getEntriesByType("navigation")[0]?.type;
    const message = Array.isArray(place) && place[0] === location.hash && document.getElementById(place[1]);
    if (message && (how === "reload" || how === "back_forward")) {
      // Messages come into layout as they near the screen and take their real heights, which moves
      // the one sought: scroll to it again on the next frames until it stays put. The reader's own
      // scrolling ends it.
      let moved = false;
      for (const kind of ["wheel", "touchstart", "keydown", "pointerdown"]) {
        addEventListener(kind, () => { moved = true; }, { once: true, passive: true });
      }
      const settle = (frames, still) => {
        const off = message.getBoundingClientRect().top - Number(place[2] || 0);
        if (!moved && Math.abs(off) >= 1) scrollBy(0, off);
        if (!moved && frames && still < 5) {
          requestAnimationFrame(() => settle(frames - 1, Math.abs(off) < 1 ? still + 1 : 0));
        } else {
          history.scrollRestoration = "auto";
        }
      };
      settle(60, 0);
    } else {
      history.scrollRestoration = "auto";
    }
  }

  // The turn map: a link to each message, in its speaker's colour, marked where it is closing tail,
  // loop or repeat. Made from the messages when first opened (the page need not carry a link per message).
  for (const map of document.querySelectorAll("details.turn-map")) {
    const tail = Number(map.dataset.tail) || Infinity;
    const loops = (map.dataset.loops || "").split(" ").filter(Boolean).map((range) => range.split("-").map(Number));
    const mark = (message, index) => {
      if (index >= tail) return "tail";
      if (loops.some(([first, last]) => index >= first && index <= last)) return "loop";
      return message.querySelector(":scope > header > a.repeat") ? "repeat" : "";
    };
    map.addEventListener("toggle", () => {
      const row = map.querySelector("p");
      if (!map.open || row.childElementCount) return;
      for (const message of document.querySelectorAll(".messages article.msg[id^='m-']")) {
        const index = Number(message.id.slice(2));
        const link = document.createElement("a");
        link.href = `#${message.id}`;
        link.textContent = String(index);
        link.className = [...message.classList].filter((name) => name.startsWith("sp-")).concat(mark(message, index) || []).join(" ");
        if (message.hasAttribute("style")) link.setAttribute("style", message.getAttribute("style"));
        row.append(link);
      }
    });
    map.hidden = false;
  }

  // The conversation's shape: a click on a bar goes to its message (the turn map links each one too).
  for (const shape of document.querySelectorAll("svg.shape[data-slots]")) {
    shape.dataset.linked = "";
    shape.addEventListener("click", (event) => {
      const box = shape.getBoundingClientRect();
      const slot = Math.floor(((event.clientX - box.left) / box.width) * Number(shape.dataset.slots));
      if (slot >= 0 && slot < Number(shape.dataset.messages)) location.hash = `m-${slot + 1}`;
    });
  }

  // Colour scheme: system -> light -> dark -> system, remembered in this browser (applied in <head>).
  const toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    const order = ["system", "light", "dark"];
    const show = () => {
      const current = document.documentElement.dataset.theme || "system";
      toggle.textContent = `Theme: ${current}`;  // the visible text is the button's name
      toggle.title = "Change the colour scheme: system, light or dark";
    };
    toggle.hidden = false;
    show();
    toggle.addEventListener("click", () => {
      const current = document.documentElement.dataset.theme || "system";
      const next = order[(order.indexOf(current) + 1) % order.length];
      if (next === "system") delete document.documentElement.dataset.theme;
      else document.documentElement.dataset.theme = next;
      try {
        if (next === "system") localStorage.removeItem("antiphon-theme");
        else localStorage.setItem("antiphon-theme", next);
      } catch { /* storage may be off: the choice lasts for this page */ }
      show();
    });
  }

  // Keyboard: j/k between messages, n/p between conversations (or list pages), / to search.
  const messages = () => [...document.querySelectorAll(".msg")].filter((m) => m.getClientRects().length);

  function goToMessage(step) {
    const all = messages();
    if (!all.length) return false;
    const current = all.findIndex((m) => m.id === location.hash.slice(1));
    let next;
    if (current === -1) {
      const top = all.findIndex((m) => m.getBoundingClientRect().top > 1);
      next = step > 0 ? (top === -1 ? all.length - 1 : top) : Math.max(0, (top === -1 ? all.length : top) - 1);
    } else {
      next = Math.min(all.length - 1, Math.max(0, current + step));
    }
    const target = all[next];
    history.replaceState(null, "", `#${target.id}`);
    target.scrollIntoView({ block: "start" });
    permalinkOf(target)?.focus({ preventScroll: true });
    document.querySelectorAll(".msg.is-current").forEach((m) => m.classList.remove("is-current"));
    target.classList.add("is-current");
    return true;
  }

  function follow(rel) {
    const link = document.querySelector(`.neighbours a[rel="${rel}"], .pager a[rel="${rel}"]`);
    if (link) location.href = link.href;
    return Boolean(link);
  }

  function typing(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const search = document.body.dataset.search;
    const actions = {
      j: () => goToMessage(1),
      k: () => goToMessage(-1),
      n: () => follow("next"),
      p: () => follow("prev"),
      "/": () => {
        const box = document.querySelector("#search-query");
        if (box) { box.focus(); box.select(); return true; }
        if (search) { location.href = search; return true; }
        return false;
      },
    };
    if (actions[event.key]?.()) event.preventDefault();
  });

  // The shortcuts' help, in the footer: made here, as the shortcuts work only with this script.
  function shortcutsHelp() {
    const rows = [["j", "k", "next / previous message"],
      ["n", "p", "next (newer) / previous (older) conversation or page"]];
    if (document.body.dataset.search) rows.push(["/", "", "search"]);
    const help = document.createElement("details");
    help.className = "keys";
    help.innerHTML = "<summary>Keyboard shortcuts</summary><dl></dl><p>Shortcuts are off while you type in a field.</p>";
    for (const [first, second, what] of rows) {
      const row = document.createElement("div");
      row.innerHTML = `<dt><kbd>${first}</kbd>${second ? ` / <kbd>${second}</kbd>` : ""}</dt><dd>${what}</dd>`;
      help.querySelector("dl").append(row);
    }
    return help;
  }
  document.querySelector(".site-footer")?.append(shortcutsHelp());

  // A permalink into a folded run: make sure the run is open (browsers that do not do it themselves).
  function openTarget() {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id ? document.getElementById(id) : null;
    const run = target ? target.closest("details") : null;
    if (run && !run.open) { run.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
