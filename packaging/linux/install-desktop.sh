#!/bin/sh
# Put DebtKeeper in this user's desktop menu: the menu entry, the icons and the AppStream metainfo,
# under ${XDG_DATA_HOME:-~/.local/share}. Run from the built program's folder it needs no argument;
# from a source tree (`make install-desktop`) it is given the command that starts the window.
#
#     ./install-desktop.sh [COMMAND...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
app_id=org.debtkeeper.DebtKeeper
if [ -d "$here/share/applications" ]; then
  apps="$here/share/applications"; metainfo="$here/share/metainfo"
else
  apps="$here/../../packaging/linux/share/applications"; metainfo="$here/../../packaging/linux/share/metainfo"
fi
if [ -d "$here/share/icons/hicolor" ]; then
  icons="$here/share/icons/hicolor"
else
  icons="$here/../../resources/icons/hicolor"
fi
if [ $# -eq 0 ]; then
  [ -x "$here/debtkeeper" ] || { echo "install-desktop.sh: give the command that starts DebtKeeper" >&2; exit 2; }
  set -- "$here/debtkeeper"
fi
# Desktop Entry spec: each argument in double quotes, with \ " ` $ escaped.
exec_line=""
for arg in "$@"; do
  quoted=$(printf '%s' "$arg" | sed -e 's/\\/\\\\\\\\/g' -e 's/"/\\\\"/g' -e 's/`/\\\\`/g' -e 's/\$/\\\\$/g' -e 's/%/%%/g')
  exec_line="$exec_line \"$quoted\""
done
exec_line=${exec_line# }

data="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$data/applications" "$data/metainfo"
EXEC_LINE=$exec_line awk '/^Exec=/ { print "Exec=" ENVIRON["EXEC_LINE"]; next } { print }' \
  "$apps/$app_id.desktop" > "$data/applications/$app_id.desktop"
cp "$metainfo/$app_id.metainfo.xml" "$data/metainfo/"
for dir in "$icons"/*/apps; do
  size=$(basename "$(dirname "$dir")")
  mkdir -p "$data/icons/hicolor/$size/apps"
  cp "$dir"/* "$data/icons/hicolor/$size/apps/"
done
# Refresh the caches where the tools exist; the menu finds the entry without them too.
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "installed $data/applications/$app_id.desktop"
