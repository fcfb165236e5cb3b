#!/usr/bin/env bash
# Installs Debian packages when a file they provide is missing, for `make test`:
#   scripts/install-debian-packages.sh /usr/bin/pdftotext poppler-utils
# The first argument is the file to check (nothing is done when it is there already), the rest
# are the packages to install, without their recommended extras.
set -euo pipefail
if [ "$#" -lt 2 ]; then
	echo "usage: $0 FILE-THAT-SHOULD-EXIST PACKAGE..." >&2
	exit 2
fi
wanted="$1"
shift
if [ -e "$wanted" ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing Debian's $* (for $wanted, once)…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
if [ ! -e "$wanted" ]; then
	echo "Installed $* but $wanted is still missing" >&2
	exit 1
fi
echo "Installed $*: $wanted is there"
