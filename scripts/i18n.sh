#!/usr/bin/env bash
# The interface's translation catalogs, with Babel's pybabel (see docs/translating.md):
#
#   scripts/i18n.sh extract          collect every marked string into locale/messages.pot
#   scripts/i18n.sh update           merge the template into each language's messages.po
#   scripts/i18n.sh compile          compile each messages.po into messages.mo (committed)
#   scripts/i18n.sh init LANG        start a new language's catalog (e.g. kk, uz)
#
# `extract` then `update` after changing the interface's words; translate the .po files;
# then `compile`. tests/unit/test_i18n_catalog.py fails while any of these is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
LOCALE=central_asia_atlas/locale
POT="$LOCALE/messages.pot"

case "${1:-}" in
  extract)
    "$PYBABEL" extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 \
      --add-comments=TRANSLATORS: --sort-by-file --no-location --omit-header \
      --project="Central Asia atlas" -o "$POT" .
    ;;
  update)
    "$PYBABEL" update -i "$POT" -d "$LOCALE" -D messages --no-fuzzy-matching \
      --ignore-obsolete --ignore-pot-creation-date
    ;;
  compile)
    "$PYBABEL" compile -d "$LOCALE" -D messages --statistics
    ;;
  init)
    "$PYBABEL" init -i "$POT" -d "$LOCALE" -D messages -l "${2:?usage: scripts/i18n.sh init LANG}"
    ;;
  *)
    echo "usage: scripts/i18n.sh extract|update|compile|init LANG" >&2
    exit 2
    ;;
esac
