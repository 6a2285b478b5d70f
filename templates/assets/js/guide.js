// Runnable System Design: the page reads fine without this script. It adds a theme toggle,
// copy buttons on code, and search over an index built with the site and fetched on first use.
(function () {
  "use strict";
  var THEME_KEY = "rsd-theme";

  // Theme: the system setting rules until the reader picks one; the pick is remembered.
  function storedTheme() {
    try { return localStorage.getItem(THEME_KEY); } catch (e) { return null; }
  }
  function effectiveTheme() {
    return storedTheme() || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  }
  function applyTheme(theme) {
    if (theme) { document.documentElement.setAttribute("data-theme", theme); }
  }
  applyTheme(storedTheme());

  function setUpThemeToggle() {
    var button = document.getElementById("theme-toggle");
    if (!button) { return; }
    function label() {
      var dark = effectiveTheme() === "dark";
      button.textContent = dark ? "Light theme" : "Dark theme";
      button.setAttribute("aria-pressed", String(dark));
    }
    button.hidden = false;
    label();
    button.addEventListener("click", function () {
      var next = effectiveTheme() === "dark" ? "light" : "dark";
      try { localStorage.setItem(THEME_KEY, next); } catch (e) { /* private mode: not remembered */ }
      applyTheme(next);
      label();
    });
  }

  // Copy buttons on every code listing.
  function setUpCopyButtons() {
    document.querySelectorAll(".listingblock pre").forEach(function (pre) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy code to clipboard");
      button.addEventListener("click", function () {
        var text = pre.innerText.replace(/\n$/, "");
        navigator.clipboard.writeText(text).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        }, function () { button.textContent = "Press Ctrl+C"; });
      });
      pre.parentNode.appendChild(button);
    });
  }

  // Search: the index is a list of pages {u: url, t: title, d: description, x: text}.
  function setUpSearch() {
    var box = document.getElementById("search");
    if (!box || !window.fetch) { return; }
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var root = box.getAttribute("data-root");
    var index = null;
    var loading = null;
    var active = -1;
    box.hidden = false;

    function load() {
      if (!loading) {
        loading = fetch(new URL(box.getAttribute("data-index"), document.baseURI))
          .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
          .then(function (pages) {
            index = pages.map(function (p) {
              return { page: p, title: p.t.toLowerCase(), description: p.d.toLowerCase(), text: p.x.toLowerCase() };
            });
          });
      }
      return loading;
    }
    function terms(query) {
      return query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 1; });
    }
    function count(haystack, needle) {
      var n = 0, at = haystack.indexOf(needle);
      while (at !== -1 && n < 50) { n++; at = haystack.indexOf(needle, at + needle.length); }
      return n;
    }
    // Every term must occur; the title weighs most, then the description, then how often the text says it.
    function score(entry, words, phrase) {
      var total = 0;
      for (var i = 0; i < words.length; i++) {
        var w = words[i];
        var inText = count(entry.text, w);
        var inTitle = entry.title.indexOf(w) !== -1, inDescription = entry.description.indexOf(w) !== -1;
        if (!inText && !inTitle && !inDescription) { return 0; }
        total += (inTitle ? 20 : 0) + (inDescription ? 6 : 0) + Math.log(1 + inText) * 3;
      }
      if (words.length > 1) {
        total += (entry.title.indexOf(phrase) !== -1 ? 30 : 0) + Math.log(1 + count(entry.text, phrase)) * 12;
      }
      return total;
    }
    function snippet(entry, words, phrase) {
      var text = entry.page.x, lower = entry.text;
      var at = lower.indexOf(phrase);
      if (at === -1) { at = lower.indexOf(words[0]); }
      if (at === -1) { return document.createTextNode(entry.page.d); }
      var start = Math.max(0, at - 60), end = Math.min(text.length, at + 140);
      var cut = (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
      var span = document.createElement("span");
      var pattern = new RegExp("(" + words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|") + ")", "gi");
      cut.split(pattern).forEach(function (part, i) {
        if (i % 2 === 1) {
          var mark = document.createElement("mark");
          mark.textContent = part;
          span.appendChild(mark);
        } else {
          span.appendChild(document.createTextNode(part));
        }
      });
      return span;
    }
    function select(i) {
      var items = list.querySelectorAll("li[role=option]");
      if (!items.length) { return; }
      active = (i + items.length) % items.length;
      items.forEach(function (item, j) { item.setAttribute("aria-selected", String(j === active)); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function render(query) {
      var words = terms(query);
      list.textContent = "";
      if (!words.length) { close(); return; }
      var phrase = words.join(" ");
      var hits = index.map(function (e) { return { entry: e, score: score(e, words, phrase) }; })
        .filter(function (h) { return h.score > 0; })
        .sort(function (a, b) { return b.score - a.score || a.entry.page.t.localeCompare(b.entry.page.t); })
        .slice(0, 10);
      hits.forEach(function (hit, i) {
        var item = document.createElement("li");
        item.id = "search-result-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var href = root + hit.entry.page.u;
        item.setAttribute("data-href", href);
        var title = document.createElement("span");
        title.className = "result-title";
        title.textContent = hit.entry.page.t;
        var text = document.createElement("span");
        text.className = "snippet";
        text.appendChild(snippet(hit.entry, words, phrase));
        item.appendChild(title);
        item.appendChild(text);
        item.addEventListener("click", function () { location.href = href; });
        list.appendChild(item);
      });
      if (!hits.length) {
        var none = document.createElement("li");
        none.className = "empty";
        none.textContent = "No page matches “" + query.trim() + "”.";
        list.appendChild(none);
      }
      status.textContent = hits.length + (hits.length === 1 ? " result" : " results");
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }
    input.addEventListener("focus", load, { once: true });
    input.addEventListener("input", function () {
      var query = input.value;
      load().then(function () { if (input.value === query) { render(query); } },
        function () { status.textContent = "The search index could not be loaded."; });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); select(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); select(active - 1); }
      else if (event.key === "Enter") {
        var items = list.querySelectorAll("li[role=option]");
        var chosen = items[active >= 0 ? active : 0];
        if (chosen && !list.hidden) { event.preventDefault(); location.href = chosen.getAttribute("data-href"); }
      } else if (event.key === "Escape") { close(); }
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        input.focus();
      }
    });
    document.addEventListener("click", function (event) { if (!box.contains(event.target)) { close(); } });
  }

  function start() {
    setUpThemeToggle();
    setUpCopyButtons();
    setUpSearch();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
