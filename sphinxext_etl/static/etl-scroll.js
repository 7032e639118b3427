/* sphinxext-etl, on generated component pages: a code block that scrolls sideways gets a tab
 * stop, so that it can be scrolled from the keyboard too (WCAG 2.1.1; axe's
 * scrollable-region-focusable). Docstrings hold code lines wider than some themes' column,
 * and a theme that scrolls them does not always make them focusable. Nothing else changes. */
(function () {
  "use strict";

  function addTabStops() {
    for (const pre of document.querySelectorAll("div[class*='highlight'] > pre")) {
      if (pre.scrollWidth > pre.clientWidth && !pre.hasAttribute("tabindex")) pre.tabIndex = 0;
    }
  }

  // Whether a block scrolls depends on the stylesheets and fonts: decide once they are in.
  if (document.readyState === "complete") addTabStops();
  else window.addEventListener("load", addTabStops);
})();
