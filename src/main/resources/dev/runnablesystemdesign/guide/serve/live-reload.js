// Added to pages by `guide serve` only: reloads after a good rebuild, shows problems after a bad one.
(() => {
  const events = new EventSource("/__guide/events");
  let panel = null;
  const show = (text) => {
    if (!panel) {
      panel = document.createElement("pre");
      panel.setAttribute("role", "alert");
      panel.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:1rem;"
        + "background:#3b0d0c;color:#ffdcd7;font:14px/1.4 ui-monospace,monospace;z-index:9999;white-space:pre-wrap";
      document.body.appendChild(panel);
    }
    panel.textContent = "The build failed; this page is the last good version.\n\n" + text;
  };
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("failed", (e) => show(e.data));
})();
