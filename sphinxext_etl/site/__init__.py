"""The site around the extension: ``init`` (a new team's site from the template) and
``publish`` (versioned releases in one tree, with ``versions.json``)."""
