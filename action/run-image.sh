#!/usr/bin/env bash
# The composite action's `build`, `merge` and `promote` step (and any other tether
# command with `args`): turns the action's inputs, passed as environment variables by
# action.yml, into tether arguments. The commands write their step outputs (tags,
# digest, image, timestamp) to GITHUB_OUTPUT themselves.
set -euo pipefail
args=()
lines() { local v; while IFS= read -r v; do [ -n "$v" ] && printf '%s\n' "$v"; done <<<"$1"; }
case "$TETHER_COMMAND" in
  build)
    args=(image build --image "$IMAGE" --context "$CONTEXT" --platform "$PLATFORMS" --builder "$BUILDER")
    [ -n "$FILE" ] && args+=(--file "$FILE")
    [ -n "$ENVIRONMENT" ] && args+=(--env "$ENVIRONMENT")
    [ -n "$SHA" ] && args+=(--sha "$SHA")
    [ -n "$TIMESTAMP" ] && args+=(--timestamp "$TIMESTAMP")
    while IFS= read -r t; do args+=(--tag "$t"); done < <(lines "$TAGS")
    [ "$PUSH" = true ] && args+=(--push)
    args+=(--cache "$CACHE")
    [ -n "$CACHE_REF" ] && args+=(--cache-ref "$CACHE_REF")
    [ "$PROVENANCE" = true ] && args+=(--provenance)
    [ "$SBOM" = true ] && args+=(--sbom)
    ;;
  merge)
    args=(image merge --image "$IMAGE")
    while IFS= read -r d; do args+=(--digest "$d"); done < <(lines "$DIGESTS")
    while IFS= read -r t; do args+=(--tag "$t"); done < <(lines "$TAGS")
    [ "$FORCE" = true ] && args+=(--force)
    ;;
  promote)
    args=(image promote --image "$IMAGE" --from "$FROM" --to-tag "$TO_TAG")
    [ -n "$TO_IMAGE" ] && args+=(--to-image "$TO_IMAGE")
    [ "$FORCE" = true ] && args+=(--force)
    ;;
  *)
    read -r -a args <<<"$TETHER_COMMAND"
    ;;
esac
case "$TETHER_COMMAND" in build | merge | promote) [ "$INSECURE" = true ] && args+=(--insecure-registry) ;; esac
while IFS= read -r line; do args+=("$line"); done < <(lines "$TETHER_ARGS")
exec node "$GITHUB_ACTION_PATH/dist/cli.js" "${args[@]}"
