# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run setup test lint bench clean migrate-check translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@touch $@

$(DEV_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@ $(STAMP)

setup: $(STAMP)
	@mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed-demo

run: setup
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C to stop)"
	$(FLASK) run --host 127.0.0.1 --port 5000 --debug

test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

bench: $(DEV_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/*.sqlite

# The catalogues: extract every marked string, update each language (no fuzzy guesses), write the
# pseudo-locale used by the tests, compile the .mo files (committed, so a fresh clone needs none of this).
BABEL_KEYWORDS := -k _ -k gettext -k ngettext:1,2 -k lazy_gettext -k _l -k msg -k pgettext:1c,2 -k lazy_ngettext:1,2
translations: $(DEV_STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords $(BABEL_KEYWORDS) --sort-by-file \
		--project="Connective Cities" --omit-header -o app/translations/messages.pot .
	for lang in de fr es pt ar; do \
		if [ -f app/translations/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update -N -i app/translations/messages.pot -d app/translations -l $$lang; \
		else $(BIN)/pybabel init -i app/translations/messages.pot -d app/translations -l $$lang; fi; \
	done
	$(BIN)/python scripts/pseudo_locale.py app/translations/messages.pot app/translations/en_US_POSIX/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile -f -d app/translations
