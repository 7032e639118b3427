/* Version switcher and old-version banner for sites published with `sphinx-etl publish`.
 *
 * The page says which version it is (<meta name="etl-version">) and where versions.json is,
 * relative to the page's root (<meta name="etl-versions-url">). Without a reachable
 * versions.json (a local build, say) the script does nothing. */
(function () {
  "use strict";

  function meta(name) {
    const element = document.querySelector(`meta[name="${name}"]`);
    return element ? element.content : "";
  }

  // The root folder of this version, as an absolute URL.
  function contentRoot() {
    let root = document.documentElement.dataset.content_root;
    if (root === undefined && typeof DOCUMENTATION_OPTIONS !== "undefined") {
      root = DOCUMENTATION_OPTIONS.URL_ROOT;
    }
    return new URL(root || "./", window.location.href);
  }

  // Where this page sits below its version's root, e.g. "guides/setup.html".
  function pagePath(root) {
    const path = window.location.pathname;
    return path.startsWith(root.pathname) ? path.slice(root.pathname.length) : "";
  }

  async function exists(url) {
    try {
      const response = await fetch(url, { method: "HEAD", cache: "no-cache" });
      return response.ok;
    } catch (error) {
      return false;
    }
  }

  // The same page in the other version, or that version's front page if it has no such page.
  async function goTo(versionRoot, page) {
    const samePage = new URL(page, versionRoot);
    const target = page && (await exists(samePage)) ? samePage : versionRoot;
    window.location.assign(target.href + window.location.hash);
  }

  function mountPoint() {
    const sidebar = document.querySelector(
      ".wy-side-nav-search, .sphinxsidebarwrapper, .sidebar-brand, .bd-sidebar-primary",
    );
    if (sidebar) return sidebar;
    const floating = document.createElement("div");
    floating.className = "etl-version-floating";
    document.body.appendChild(floating);
    return floating;
  }

  function renderSwitcher(manifest, current, versionsURL, page) {
    const label = document.createElement("label");
    label.className = "etl-version-switcher";
    label.append("Version ");
    const select = document.createElement("select");
    select.setAttribute("aria-label", "Documentation version");
    for (const entry of manifest.versions) {
      const option = document.createElement("option");
      option.value = new URL(entry.url, versionsURL).href;
      option.textContent = entry.latest ? `${entry.version} (latest)` : entry.version;
      option.dataset.version = entry.version;
      option.selected = entry.version === current;
      select.appendChild(option);
    }
    if (!manifest.versions.some((entry) => entry.version === current)) {
      const option = document.createElement("option");
      option.textContent = current;
      option.selected = true;
      option.disabled = true;
      select.prepend(option);
    }
    select.addEventListener("change", () => goTo(new URL(select.value), page));
    label.appendChild(select);
    mountPoint().appendChild(label);
  }

  function renderBanner(manifest, current, versionsURL, page) {
    const names = manifest.versions.map((entry) => entry.version);
    const latest = manifest.latest;
    if (!latest || current === latest) return;
    const newer = names.includes(current) && names.indexOf(current) < names.indexOf(latest);
    const banner = document.createElement("div");
    banner.className = "etl-version-banner";
    banner.setAttribute("role", "note");
    banner.append(
      newer
        ? `You are viewing a pre-release version (${current}). The latest is `
        : `You are viewing an old version (${current}). The latest is `,
    );
    const link = document.createElement("a");
    link.href = new URL("latest/", versionsURL).href;
    link.textContent = latest;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      goTo(new URL("latest/", versionsURL), page);
    });
    banner.append(link, ".");
    const main = document.querySelector('[role="main"], main, .body') || document.body;
    main.prepend(banner);
  }

  async function init() {
    const current = meta("etl-version");
    const versionsPath = meta("etl-versions-url");
    if (!current || !versionsPath) return;
    const root = contentRoot();
    const versionsURL = new URL(versionsPath, root);
    let manifest;
    try {
      const response = await fetch(versionsURL, { cache: "no-cache" });
      if (!response.ok) return;
      manifest = await response.json();
    } catch (error) {
      return; // Not published (yet): no switcher.
    }
    if (!Array.isArray(manifest.versions) || manifest.versions.length === 0) return;
    const page = pagePath(root);
    renderSwitcher(manifest, current, versionsURL, page);
    renderBanner(manifest, current, versionsURL, page);
    document.documentElement.dataset.etlVersionsReady = "true";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
