/* Catalog filter (sphinxext-etl): a search box, chips and a live count above each
 * .etl-catalog, filtering its rows in place. Rows keep their markup and links, and without
 * JavaScript the table is complete. The chips read the classes the directives put on each
 * row: the operator-catalog's etl-kind-<kind>, etl-owner-<provider>, etl-conn-<type> and
 * etl-is-<flag>; the dag-catalog's (its table is marked etl-dag-catalog) etl-owner-<owner> and
 * etl-tag-<tag>. A row may carry several values of one facet (a DAG with two tags): it
 * matches a facet's chips when any of its values is selected.
 *
 * State is in the query string: q and the facets' keys (kind, owner, conn and flag, or owner
 * and tag; comma lists) for the page's first catalog, q2, owner2, ... for the second, and so
 * on. "/" focuses the nearest filter.
 *
 * While filtering, at most LIMIT rows show, then a button shows the rest: a browser lays out a
 * table's visible rows again on every change, which for a thousand rows takes longer than a
 * frame, so each keystroke stays within one whatever the catalog's size. A catalog of more
 * than COLLAPSE rows starts that way too: taking a thousand rows out of the layout costs
 * several frames, which the page's load absorbs but the first keystroke would not. */
(function () {
  "use strict";

  // What each kind of catalog filters by: its facets (a key, read from etl-<key>-<value>
  // classes, and its title), the box's hint, and what it says when nothing matches.
  const COMPONENTS = {
    facets: [
      ["kind", "Kind"],
      ["owner", "Provider"],
      ["conn", "Connection"],
    ],
    placeholder: "Name, summary or import path",
    empty: "No component matches.",
  };
  const DAGS = {
    facets: [
      ["owner", "Owner"],
      ["tag", "Tag"],
    ],
    placeholder: "DAG, owner, tag, schedule or asset",
    empty: "No DAG matches.",
  };
  const FLAGS = ["deferrable", "templated", "in-house", "deprecated"];
  // A facet with more values than this is a drop-down list instead of a row of chips.
  const MAX_CHIPS = 12;
  // Rows shown at most while filtering (the page may set data-etl-catalog-limit on <html>).
  const LIMIT = 50;
  // Rows above which a catalog starts collapsed (data-etl-catalog-collapse on <html>).
  const COLLAPSE = 500;
  const number = new Intl.NumberFormat("en");
  const catalogs = [];
  let urlTimer = 0;

  // Hyphens, underscores and spaces alike; every word must match.
  function words(text) {
    return text.toLowerCase().replace(/[\s_-]+/g, " ").trim();
  }

  function element(tag, props, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  // row.values[key]: the row's values of each facet, a set (most rows have one per facet).
  function readRow(tr, facets) {
    const text = " " + words(tr.textContent) + " ";
    const row = { tr, text, values: {}, flags: new Set(), shown: true };
    for (const [key] of facets) row.values[key] = new Set();
    for (const cls of tr.classList) {
      for (const [key] of facets) {
        if (cls.startsWith(`etl-${key}-`)) row.values[key].add(cls.slice(key.length + 5));
      }
      if (cls.startsWith("etl-is-")) row.flags.add(cls.slice(7));
    }
    return row;
  }

  function anySelected(values, selected) {
    for (const value of values) if (selected.has(value)) return true;
    return false;
  }

  // Chips of one facet add up (any of the row's values is selected), facets narrow, and a
  // flag chip keeps only the rows with that flag.
  function matches(row, state, facets) {
    for (const term of state.terms) if (!row.text.includes(term)) return false;
    for (const [key] of facets) {
      if (state[key].size && !anySelected(row.values[key], state[key])) return false;
    }
    for (const flag of state.flag) if (!row.flags.has(flag)) return false;
    return true;
  }

  // Writes only what changed (a row's hidden attribute, a group's): no layout is read.
  function apply(catalog) {
    const limit = catalog.showAll
      ? Infinity
      : Number(document.documentElement.dataset.etlCatalogLimit) || LIMIT;
    let shown = 0;
    for (const row of catalog.rows) {
      const match = matches(row, catalog.state, catalog.kind.facets);
      shown += match;
      const show = match && shown <= limit;
      if (row.shown !== show) {
        row.shown = show;
        row.tr.hidden = !show;
      }
    }
    for (const group of catalog.groups) {
      const show = group.rows.some((row) => row.shown);
      if (group.shown !== show) {
        group.shown = show;
        for (const node of group.nodes) node.hidden = !show;
      }
    }
    catalog.count.textContent = `${number.format(shown)} of ${number.format(catalog.rows.length)}`;
    catalog.empty.hidden = shown > 0;
    catalog.more.hidden = shown <= limit;
    catalog.more.textContent = `Show all ${number.format(shown)} matches`;
  }

  function counted(rows, pick) {
    const counts = new Map();
    for (const row of rows) {
      for (const value of pick(row)) counts.set(value, (counts.get(value) || 0) + 1);
    }
    return [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  }

  function chip(catalog, key, value, count) {
    const button = element("button", { type: "button", className: "etl-chip" }, value + " ");
    button.append(element("span", { className: "etl-chip-count" }, number.format(count)));
    const set = catalog.state[key];
    button.setAttribute("aria-pressed", String(set.has(value)));
    button.addEventListener("click", () => {
      if (set.has(value)) set.delete(value);
      else set.add(value);
      button.setAttribute("aria-pressed", String(set.has(value)));
      changed(catalog);
    });
    return button;
  }

  function facet(catalog, key, title, values) {
    const id = `${catalog.id}-${key}`;
    const group = element("div", { className: "etl-filter-group" });
    const set = catalog.state[key];
    if (values.length > MAX_CHIPS) {
      const select = element("select", { id, className: "etl-filter-select" });
      select.append(element("option", { value: "" }, "all"));
      for (const [value, count] of values) {
        const option = element("option", { value }, `${value} (${number.format(count)})`);
        option.selected = set.has(value);
        select.append(option);
      }
      select.addEventListener("change", () => {
        set.clear();
        if (select.value) set.add(select.value);
        changed(catalog);
      });
      group.append(element("label", { htmlFor: id, className: "etl-filter-label" }, title), select);
      return group;
    }
    group.setAttribute("role", "group");
    group.setAttribute("aria-labelledby", id);
    group.append(element("span", { id, className: "etl-filter-label" }, title));
    for (const [value, count] of values) group.append(chip(catalog, key, value, count));
    return group;
  }

  function suffix(catalog) {
    return catalog.index ? String(catalog.index + 1) : "";
  }

  function restore(catalog, params) {
    const state = catalog.state;
    const known = catalog.known;
    const list = (key) => (params.get(key + suffix(catalog)) || "").split(",").filter(Boolean);
    catalog.input.value = params.get("q" + suffix(catalog)) || "";
    state.terms = words(catalog.input.value).split(" ").filter(Boolean);
    for (const key of catalog.keys) {
      state[key] = new Set(list(key).filter((value) => known[key].has(value)));
    }
    // The page as built shows every row; the limit applies once the reader filters, or at
    // once to a long catalog.
    const collapse = Number(document.documentElement.dataset.etlCatalogCollapse) || COLLAPSE;
    const filtering = state.terms.length || catalog.keys.some((key) => state[key].size);
    catalog.showAll = !filtering && catalog.rows.length <= collapse;
  }

  function writeUrl() {
    urlTimer = 0;
    const params = new URLSearchParams(window.location.search);
    for (const catalog of catalogs) {
      const end = suffix(catalog);
      const q = catalog.input.value.trim();
      if (q) params.set("q" + end, q);
      else params.delete("q" + end);
      for (const key of catalog.keys) {
        const values = [...catalog.state[key]].sort().join(",");
        if (values) params.set(key + end, values);
        else params.delete(key + end);
      }
    }
    const query = params.toString().replace(/%2C/g, ",");
    const url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  }

  function changed(catalog) {
    catalog.showAll = false;
    apply(catalog);
    // The address bar follows a moment later: browsers throttle replaceState.
    clearTimeout(urlTimer);
    urlTimer = setTimeout(writeUrl, 250);
  }

  function groupsOf(container, rows) {
    const groups = [];
    for (const table of container.querySelectorAll("table.etl-catalog-table")) {
      let top = table;
      while (top.parentElement !== container) top = top.parentElement;
      const nodes = [top];
      const before = top.previousElementSibling;
      if (before && before.classList.contains("rubric")) nodes.push(before);
      const own = rows.filter((row) => table.contains(row.tr));
      groups.push({ nodes, rows: own, shown: true });
    }
    return groups;
  }

  function enhance(container, index, params) {
    const rows = [...container.querySelectorAll("table.etl-catalog-table tbody > tr.etl-row")];
    if (!rows.length) return;
    const kind = container.querySelector("table.etl-dag-catalog") ? DAGS : COMPONENTS;
    const catalog = {
      container,
      index,
      kind,
      keys: [...kind.facets.map(([key]) => key), "flag"],
      id: `etl-catalog-${index + 1}`,
      rows: rows.map((tr) => readRow(tr, kind.facets)),
      state: {},
      known: {},
    };
    catalog.groups = groupsOf(container, catalog.rows);
    const values = {};
    for (const [key] of kind.facets) values[key] = counted(catalog.rows, (row) => row.values[key]);
    values.flag = counted(catalog.rows, (row) => row.flags);
    for (const key in values) catalog.known[key] = new Set(values[key].map(([v]) => v));

    const inputId = `${catalog.id}-q`;
    catalog.input = element("input", {
      type: "search",
      id: inputId,
      className: "etl-filter-input",
      placeholder: kind.placeholder,
      autocomplete: "off",
      spellcheck: false,
    });
    catalog.count = element("span", { className: "etl-filter-count", id: `${catalog.id}-count` });
    catalog.count.setAttribute("role", "status");
    catalog.input.setAttribute("aria-describedby", catalog.count.id);
    catalog.input.setAttribute("aria-keyshortcuts", "/");
    restore(catalog, params);
    catalog.input.addEventListener("input", () => {
      catalog.state.terms = words(catalog.input.value).split(" ").filter(Boolean);
      changed(catalog);
    });

    const bar = element("div", { className: "etl-filter" });
    bar.append(
      element(
        "div",
        { className: "etl-filter-search" },
        element("label", { htmlFor: inputId, className: "etl-filter-label" }, "Filter"),
        catalog.input,
        catalog.count,
      ),
    );
    for (const [key, title] of kind.facets) {
      if (values[key].length > 1) bar.append(facet(catalog, key, title, values[key]));
    }
    const flags = values.flag.filter(([, count]) => count < catalog.rows.length);
    flags.sort((a, b) => FLAGS.indexOf(a[0]) - FLAGS.indexOf(b[0]));
    if (flags.length) bar.append(facet(catalog, "flag", "Only", flags));
    catalog.empty = element("p", { className: "etl-filter-empty" }, kind.empty);
    catalog.more = element("button", { type: "button", className: "etl-filter-more" });
    catalog.more.addEventListener("click", () => {
      catalog.showAll = true;
      apply(catalog);
    });
    container.prepend(bar);
    container.append(catalog.more, catalog.empty);
    container.classList.add("etl-catalog-filtered");
    catalogs.push(catalog);
    apply(catalog);
  }

  function editable(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  // "/" focuses the filter of the first catalog not yet scrolled past (before the theme's
  // own "/" for its search box, which stays on pages without a catalog).
  function onKey(event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (editable(event.target) || !catalogs.length) return;
    const next = catalogs.find((c) => c.container.getBoundingClientRect().bottom > 0);
    event.preventDefault();
    event.stopPropagation();
    (next || catalogs[0]).input.focus();
  }

  function init() {
    const params = new URLSearchParams(window.location.search);
    document.querySelectorAll(".etl-catalog").forEach((container, index) => {
      enhance(container, index, params);
    });
    window.addEventListener("keydown", onKey, true);
    document.documentElement.dataset.etlCatalogReady = "true";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
