// Term previews (kb/previews.py writes KB_PREVIEWS above this code into
// _static/kb-previews.js, which a small loader in the page fetches on the
// first hover or keyboard focus of such a link): a link to a glossary term or an Akteure entry
// shows the term's first sentence or the actor's role below it while the
// pointer rests on the link or on the preview, or while the keyboard focuses
// the link. Escape closes it. A touch shows nothing (the link just opens), so
// no preview ever covers the page on a phone. Screen readers get the text as
// the link's description (aria-describedby).
(() => {
  "use strict";
  const root = new URL(document.documentElement.dataset.content_root || "./", location.href);
  const box = document.createElement("div");
  box.id = "kb-preview";
  box.className = "kb-preview";
  box.setAttribute("role", "tooltip");
  box.hidden = true;
  let current = null;
  let hideTimer = 0;

  const keyOf = (link) => {
    const url = new URL(link.getAttribute("href"), location.href);
    if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
    return url.pathname.slice(root.pathname.length) + url.hash;
  };

  const show = (link) => {
    clearTimeout(hideTimer);
    current = link;
    box.textContent = KB_PREVIEWS[link.dataset.kbPreview];
    box.hidden = false;
    const r = link.getBoundingClientRect();
    const width = Math.min(384, document.documentElement.clientWidth - 16);
    box.style.maxWidth = `${width}px`;
    const left = Math.min(Math.max(8, r.left), document.documentElement.clientWidth - width - 8);
    box.style.left = `${left + scrollX}px`;
    box.style.top = `${r.bottom + scrollY + 4}px`;
  };

  const hide = () => {
    box.hidden = true;
    current = null;
  };
  const hideSoon = () => {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 300);
  };

  const init = () => {
    document.body.appendChild(box);
    for (const link of document.querySelectorAll("article a.reference.internal[href]")) {
      const key = keyOf(link);
      if (key === null || !(key in KB_PREVIEWS) || link.classList.contains("sd-stretched-link")) continue;
      link.dataset.kbPreview = key;
      link.setAttribute("aria-describedby", box.id);
      link.addEventListener("pointerenter", (e) => e.pointerType === "mouse" && show(link));
      link.addEventListener("pointerleave", (e) => e.pointerType === "mouse" && hideSoon());
      link.addEventListener("focus", () => link.matches(":focus-visible") && show(link));
      link.addEventListener("blur", hide);
    }
    // The preview stays while the pointer is on it (WCAG 1.4.13: hoverable).
    box.addEventListener("pointerenter", () => clearTimeout(hideTimer));
    box.addEventListener("pointerleave", hideSoon);
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && current !== null) hide();
    });
  };

  // The description must hold the right text before a screen reader reads it.
  document.addEventListener("focusin", (e) => {
    const link = e.target.closest && e.target.closest("[data-kb-preview]");
    if (link) box.textContent = KB_PREVIEWS[link.dataset.kbPreview];
  });

  init();
  // The loader in the page (kb/previews.py) calls this for the link that made it load the script.
  window.kbPreviews = {
    open: (link) => {
      if (link.dataset.kbPreview && (link.matches(":hover") || link.matches(":focus-visible"))) show(link);
    },
  };
})();
