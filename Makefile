# The two commands of the README, on a machine with only python3 (3.11+):
#   make demo   the main job: install seqx and its plugins into .venv, then run it
#   make test   every test, in venvs built by nox (torch pinned by constraints.txt)

PYTHON ?= python3
VENV := .venv
TOOLS := .venv-tools
# core, then the plugins, then the examples, as the noxfile lists them
PACKAGES := core $(sort $(dir $(wildcard plugins/*/pyproject.toml))) \
	$(sort $(dir $(wildcard examples/plugins/*/pyproject.toml)))
PYPROJECTS := $(addsuffix /pyproject.toml,$(PACKAGES:/=))

.PHONY: demo test venv clean

$(TOOLS)/.ready:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q "nox>=2024.4.15"
	touch $@

$(VENV)/.ready: constraints.txt $(PYPROJECTS)
	$(PYTHON) -m venv $(VENV)
	# the pip that venv bundles (23.x) looks a package up on PyPI when the editable that
	# provides it comes later on the command line; a current pip resolves them together
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -c constraints.txt $(foreach p,$(PACKAGES:/=),-e "$(p)[test]")
	touch $@

venv: $(VENV)/.ready

demo: $(VENV)/.ready
	PATH="$(abspath $(VENV))/bin:$$PATH" bash scripts/demo.sh

test: $(TOOLS)/.ready
	$(TOOLS)/bin/nox -s tests lint

clean:
	rm -rf $(VENV) $(TOOLS) .nox
