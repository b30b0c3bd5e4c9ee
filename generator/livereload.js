// Antiphon preview: reload after a good rebuild, show the error of a failed one.
// Injected by `antiphon serve` only; built sites never contain it.
(() => {
  const me = document.currentScript;
  const url = `${me.dataset.events}?generation=${me.dataset.generation}`;
  let overlay = null;

  function showProblem(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "antiphon-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;z-index:2147483647;max-height:60vh;" +
        "overflow:auto;background:#2b0b0b;color:#ffe9e9;border:2px solid #ff6b6b;border-radius:8px;" +
        "padding:1rem 1.25rem;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;box-shadow:0 8px 30px #0008";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "Build failed — the page shows the last good build.\n\n" + text;
  }

  function clearProblem() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  const events = new EventSource(url);
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("problem", (e) => showProblem(JSON.parse(e.data).text));
  events.addEventListener("clear", () => { clearProblem(); });
})();
