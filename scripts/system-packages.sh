#!/usr/bin/env bash
# Installs the system packages the portal needs, only those missing:
# gettext (compiled translations), fonts metric-compatible with Times New Roman
# that cover Vietnamese (documents), WeasyPrint's Pango, poppler-utils (PDF to
# PNG in tests), cairo (charts in Word files), Chromium (browser tests) and LibreOffice without a screen
# (Word, PowerPoint and OpenDocument presentations converted for the booklet;
# the portal still works without it and lists those files instead), nginx,
# SoftHSM2 and NSS tools (a software token and pdfsig's trust store for the
# digital-signature tests).
# `--server` (a production machine, README "Deployment") leaves out Chromium.
set -euo pipefail
server=false
[ "${1:-}" = "--server" ] && server=true

# grep -q would stop reading early and, under pipefail, fc-list/ldconfig killed by
# SIGPIPE would count as "not installed"; grep >/dev/null reads to the end.
missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
$server || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui libreoffice-impress-nogui)
# fc-match finds the font files for what draws text without WeasyPrint
# (signature appearances, the long lists printed by ReportLab).
command -v fc-match >/dev/null 2>&1 || missing+=(fontconfig)
fc-list 2>/dev/null | grep "Liberation Serif" >/dev/null || missing+=(fonts-liberation2)
fc-list 2>/dev/null | grep "Tinos" >/dev/null || missing+=(fonts-croscore)
ldconfig -p 2>/dev/null | grep "libpangoft2-1.0" >/dev/null || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
# cairo draws the documents' SVG charts into the Word files (cairosvg).
ldconfig -p 2>/dev/null | grep "libcairo.so.2" >/dev/null || missing+=(libcairo2)
# nginx fronts gunicorn in production; tests/test_stack.py runs one of its own.
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# documents/signing.py signs through PKCS#11; its tests use a SoftHSM2 token and
# check the result with pdfsig, which trusts only what certutil puts in its NSS db.
[ -f /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
command -v certutil >/dev/null 2>&1 || missing+=(libnss3-tools)

[ ${#missing[@]} -eq 0 ] && exit 0

echo "Cài gói hệ thống còn thiếu: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Cần quyền root để cài: ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
