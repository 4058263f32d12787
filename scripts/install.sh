#!/usr/bin/env bash
# Builds prio in release mode and installs it with its man pages and shell completions.
# Usage: scripts/install.sh [--skip-build] [--binary PATH] [PREFIX]     (PREFIX defaults to ~/.local)
#   --skip-build     install the release binary already built (.build/release/prio); no build
#   --binary PATH    install this binary instead (implies --skip-build); PRIO_BINARY=PATH does the same
# Installs, and writes nothing outside PREFIX:
#   PREFIX/bin/prio
#   PREFIX/share/man/man1/prio.1, prio.SUBCOMMAND.1      (committed in docs/man, see scripts/make-man.sh)
#   PREFIX/share/bash-completion/completions/prio
#   PREFIX/share/zsh/site-functions/_prio
#   PREFIX/share/fish/vendor_completions.d/prio.fish
# The completions are written by the installed binary itself (--generate-completion-script), so
# they always match it. Running the script again replaces the files (and removes the pages of
# commands that are gone); each file is replaced by a rename, so a running prio is not disturbed.
set -euo pipefail
shopt -s nullglob

usage() { sed -n '3,5s/^# \{0,1\}//p' "$0" >&2; }
fail() { echo "install.sh: $*" >&2; exit 2; }

skip_build=false
binary=${PRIO_BINARY:-}
prefix=
prefix_given=false
while [ $# -gt 0 ]; do
    case $1 in
        --skip-build) skip_build=true ;;
        --binary)
            [ $# -ge 2 ] || fail "--binary needs a path"
            binary=$2
            shift ;;
        --binary=*) binary=${1#--binary=} ;;
        -h | --help) usage; exit 0 ;;
        --) shift; break ;;
        -*) usage; fail "unknown option '$1'" ;;
        *)
            $prefix_given && fail "one PREFIX only, got '$prefix' and '$1'"
            prefix=$1
            prefix_given=true ;;
    esac
    shift
done
if [ $# -gt 0 ]; then
    $prefix_given && fail "one PREFIX only, got '$prefix' and '$1'"
    [ $# -eq 1 ] || fail "one PREFIX only"
    prefix=$1
    prefix_given=true
fi
if ! $prefix_given; then
    [ -n "${HOME:-}" ] || fail "HOME is not set: give a PREFIX"
    prefix=$HOME/.local
fi

# A quoted "~/x" reaches us unexpanded: expand it as the shell would have.
# shellcheck disable=SC2088  # the literal "~/" is what is matched here
case $prefix in
    "~" | "~/"*)
        [ -n "${HOME:-}" ] || fail "HOME is not set, so '$prefix' has no meaning"
        prefix=$HOME${prefix#"~"} ;;
esac
# Trailing slashes only make the paths below look odd ("/" itself stays "/").
while [ "${#prefix}" -gt 1 ] && [ "${prefix%/}" != "$prefix" ]; do prefix=${prefix%/}; done
[ -n "$prefix" ] || fail "PREFIX is empty"
case $prefix in
    /*) ;;
    *) fail "PREFIX must be an absolute path, got '$prefix'" ;;
esac
case $prefix in
    *$'\n'*) fail "PREFIX must not contain a newline" ;;
esac

# A relative --binary is relative to where the script was started, not to the repository.
if [ -n "$binary" ]; then
    case $binary in
        /*) ;;
        *) binary=$PWD/$binary ;;
    esac
    skip_build=true
fi

repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
pages=("$repo"/docs/man/prio.1 "$repo"/docs/man/prio.*.1)
[ ${#pages[@]} -gt 1 ] || fail "no man pages in $repo/docs/man (run scripts/make-man.sh)"

if [ -z "$binary" ]; then
    if ! $skip_build; then
        echo "Building prio (swift build -c release --product prio)..."
        (cd -- "$repo" && swift build -c release --product prio)
    fi
    binary=$repo/.build/release/prio
fi
if ! [ -f "$binary" ] || ! [ -x "$binary" ]; then
    fail "no executable prio at '$binary' (build it, or leave out --skip-build)"
fi

# Every path below starts with PREFIX ("/" gives "/bin", not "//bin").
base=${prefix%/}
bin_dir=$base/bin
man_dir=$base/share/man/man1
bash_dir=$base/share/bash-completion/completions
zsh_dir=$base/share/zsh/site-functions
fish_dir=$base/share/fish/vendor_completions.d
mkdir -p -- "$bin_dir" "$man_dir" "$bash_dir" "$zsh_dir" "$fish_dir"

# Writes standard input to a temporary file beside TARGET, then renames it onto TARGET.
place() {
    local target=$1 mode=$2 temporary
    temporary=$(mktemp -- "$(dirname -- "$target")/.prio-install.XXXXXX")
    if cat > "$temporary" && chmod -- "$mode" "$temporary" && mv -f -- "$temporary" "$target"; then
        return 0
    fi
    rm -f -- "$temporary"
    fail "could not write $target"
}

place "$bin_dir/prio" 755 < "$binary"

# The pages of commands that no longer exist go; prio's own names only.
for old in "$man_dir"/prio.*.1; do
    [ -f "$repo/docs/man/$(basename -- "$old")" ] || rm -f -- "$old"
done
for page in "${pages[@]}"; do
    # shellcheck disable=SC2094  # reads docs/man/X, writes PREFIX/share/man/man1/X
    place "$man_dir/$(basename -- "$page")" 644 < "$page"
done

installed=$bin_dir/prio
# Each script is complete before its file is replaced: a failing binary leaves the old one.
completion() {
    local script
    script=$("$installed" --generate-completion-script "$1") || fail "$installed could not write its $1 completion"
    printf '%s\n' "$script" | place "$2" 644
}
completion bash "$bash_dir/prio"
completion zsh "$zsh_dir/_prio"
completion fish "$fish_dir/prio.fish"

cat <<DONE
Installed $("$installed" --version | head -n 1 || true) into $prefix:
  $installed
  $man_dir/prio.1 and ${#pages[@]} pages in all (man prio, man prio.rank)
  $bash_dir/prio
  $zsh_dir/_prio
  $fish_dir/prio.fish
DONE
case ":${PATH:-}:" in
    *":$bin_dir:"*) ;;
    *) echo "Note: $bin_dir is not on your PATH." ;;
esac
