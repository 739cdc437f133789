# shellcheck shell=bash
# Shared helpers for the recipe-ci shell scripts. Sourced, never executed.
# The caller sets PROG (its own name, used in messages) and runs with `set -euo pipefail`.

# One line of progress on stdout: "<step>: <what happened>".
say() { printf '%s\n' "$*"; }

warn() { printf '%s: warning: %s\n' "$PROG" "$*" >&2; }

# die MESSAGE [HOW-TO-FIX]: print what failed and how to fix it, then exit 1.
die() {
  printf '%s: error: %s\n' "$PROG" "$1" >&2
  if [[ $# -gt 1 ]]; then printf '  fix: %s\n' "$2" >&2; fi
  exit 1
}

# tree_hash DIR [SALT...]: sha256 of a directory's content (relative paths, file bytes,
# executable bit, symlink targets) plus the salt lines. Owner, times and umask-dependent
# permission bits are left out on purpose, so a fresh checkout hashes like the original.
tree_hash() {
  local dir=$1 path
  shift
  {
    printf 'salt %s\n' "$@"
    (
      cd "$dir" || exit 1
      find . -mindepth 1 -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' path; do
        if [[ -L $path ]]; then
          printf 'link %s -> %s\n' "$path" "$(readlink "$path")"
        elif [[ -d $path ]]; then
          printf 'dir %s\n' "$path"
        elif [[ -x $path ]]; then
          printf 'exec %s %s\n' "$path" "$(sha256sum <"$path" | cut -d' ' -f1)"
        else
          printf 'file %s %s\n' "$path" "$(sha256sum <"$path" | cut -d' ' -f1)"
        fi
      done
    )
  } | sha256sum | cut -d' ' -f1
}
