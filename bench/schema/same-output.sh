#!/usr/bin/env bash
# bench/schema/same-output.sh OLD_ROOT NEW_ROOT
#
# Checks that a change leaves init's and plan's files byte-identical on the 11 real schemas:
# init + plan of each with both builds (ROOT/bin/supamigrate.js; copy main's dist, bin, schemas
# and a node_modules link aside as OLD_ROOT), back to back per schema, then `diff -r`.
# The databases must exist and be loaded: ${PREFIX}<name> on $SERVER, e.g.
#   for n in $(../shared/fixtures/real-schemas/load.sh list); do createdb ... ${PREFIX}$n;
#     ../shared/fixtures/real-schemas/load.sh $n $SERVER/${PREFIX}$n; done
# init's performance proposal reads the server's pg_stat_statements, which other sessions change
# between runs: back to back keeps that window small; on a difference only there, run again.
set -euo pipefail
OLD=$1 NEW=$2
PREFIX=${PREFIX:-wt_apf2_} SERVER=${SERVER:-postgresql://postgres@127.0.0.1:5432} OUT=${OUT:-/tmp/same-output}
FIXTURES=$(cd "$(dirname "$0")/../../../shared/fixtures/real-schemas" && pwd)
rm -rf "$OUT"; mkdir -p "$OUT"
for n in $("$FIXTURES/load.sh" list); do
  for side in old new; do
    root=$OLD; [ $side = new ] && root=$NEW
    d="$OUT/$side/$n"; mkdir -p "$d"
    node "$root/bin/supamigrate.js" --source "$SERVER/$PREFIX$n" init --dir "$d" --name "$n" >/dev/null
    (cd "$d" && node "$root/bin/supamigrate.js" plan >/dev/null)
  done
done
diff -r "$OUT/old" "$OUT/new" && echo "IDENTICAL: $(find "$OUT/new" -type f | wc -l) files"
