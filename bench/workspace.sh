# Sourced by the bench scripts: a throw-away workspace whose controller is set (cards, forms and
# reissue refuse the placeholder controller).
#   bench_workspace SEPARA DIR SITE
bench_workspace() {
  local separa=$1 dir=$2 site=$3
  "$separa" init "$dir" --site "$site" > /dev/null
  python3 - "$dir/separa.json" <<'PY'
import json, sys
path = sys.argv[1]
config = json.load(open(path))
config["controller"] = {"name": "Bench Red Cross", "contact": "data@example.org, +39 06 5510 0000"}
json.dump(config, open(path, "w"), indent=2)
PY
}
