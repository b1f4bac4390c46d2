# Sourced by bench/run and bench/fuzz: go to the repository and make sure the project's
# .venv has the `bench` extra (pypandoc-binary, hypothesis); installs it once, if missing.
# Everything after that runs without network.
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
if [ ! -x .venv/bin/python ]; then
  echo "bench: creating .venv" >&2
  python3 -m venv .venv || exit 2
fi
if ! .venv/bin/python -c "import playbook, pypandoc, hypothesis" 2>/dev/null; then
  echo "bench: installing the bench extra into .venv (needs network once)" >&2
  # compat mode: a plain path entry, which keeps `playbook --help` fast (and measured fairly)
  .venv/bin/pip install -q --require-hashes -r requirements/bench.lock || exit 2
  .venv/bin/pip install -q --no-deps --no-build-isolation -e . --config-settings editable_mode=compat || exit 2
fi
# An installed package is compiled to bytecode by pip; the editable checkout may not be
# (PYTHONDONTWRITEBYTECODE): compile it, so start-up figures measure what users get.
.venv/bin/python -m compileall -q playbook > /dev/null || exit 2
