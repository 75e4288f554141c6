#!/usr/bin/env bash
# Installs the Debian 12 packages that building, running and testing Sightline need.
# Idempotent: packages already installed are skipped. Works as root or through sudo.
set -euo pipefail

packages=(
    # toolchain
    cmake ninja-build g++ pkg-config
    # Qt 6.4 and its SQL drivers (SQLite embedded default, PostgreSQL for teams)
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-websockets-dev qt6-httpserver-dev qt6-svg-dev
    libqt6sql6-sqlite libqt6sql6-psql qt6-qpa-plugins libgl-dev libqt6opengl6-dev libxkbcommon-dev
    # the store suites run a second time on a throw-away PostgreSQL cluster (tests/pg/pgcluster.sh)
    postgresql
    # JSON, and SQLite's C API for the benchmark's bare baseline
    nlohmann-json3-dev libsqlite3-dev
    # headless windows for tests and screenshots, and a font to draw them with
    xvfb xauth fonts-dejavu-core
    # packaging (cpack's .deb: dpkg-shlibdeps computes Depends) and the package test's validators
    dpkg-dev file binutils desktop-file-utils appstream
    # the SLA screenshots render a page of the PDF report (tests/screenshots/take_sla.sh)
    poppler-utils
    # a real Tryton ERP for the Tryton connector's test (installer/tryton.sh; Python 3 comes with it)
    tryton-server tryton-modules-sale tryton-modules-purchase tryton-modules-stock
    # a real RabbitMQ broker for tst_rabbitmq (installer/rabbitmq.sh runs a private node on 127.0.0.1)
    rabbitmq-server curl
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all ${#packages[@]} packages already installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "deps: missing packages (${missing[*]}) and neither root nor sudo is available" >&2
    exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
    "${as_root[@]}" apt-get update
    "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
