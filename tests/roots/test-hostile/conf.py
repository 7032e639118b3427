import tempfile

extensions = ["sphinxext_etl"]
etl_providers = []
etl_packages = ["hostile_pkg", "calm_pkg"]
# A fresh cache for every build: the workers must read the packages each time.
etl_cache_dir = tempfile.mkdtemp(prefix="etl-hostile-cache-")
# One worker at a time: without a fresh process per owner, calm_pkg would be read in the
# process that hostile_pkg.tampers patched.
etl_workers = 1
etl_import_timeout = 5
