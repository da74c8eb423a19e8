#!/usr/bin/env bash
# StatDesk developer set-up on Debian 12: install what is missing, build, and either open the
# generated demo city in the app or run the whole test suite.
#
#   packaging/statdesk-dev.sh demo   # install + build + demo project + open it in the app
#                                    # (no display: render the demo map to a PNG and print its path)
#   packaging/statdesk-dev.sh test   # install + build + run every test (CTest)
#
# Environment: BUILD_DIR (default ./build), JOBS (default: number of cores), CI=true turns
# warnings into errors.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$here/build}"
jobs="${JOBS:-$(nproc)}"
mode="${1:-}"

# Everything the build, the app, the tests and the reference implementations need, as Debian packages.
packages=(
  cmake ninja-build g++ pkg-config
  qtbase5-dev qttools5-dev qttools5-dev-tools libqt5svg5-dev libqt5opengl5-dev
  libqgis-dev qgis-providers python3-qgis
  libgdal-dev gdal-bin python3-gdal libproj-dev libsqlite3-dev libeigen3-dev libboost-dev libssl-dev
  xvfb xauth poppler-utils imagemagick fonts-dejavu-core
  python3-sklearn python3-scipy python3-statsmodels python3-numpy
  r-base-core r-cran-glmnet r-cran-spdep r-cran-dbscan
)

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build_all() {
  local werror=OFF
  [ "${CI:-}" = "true" ] && werror=ON
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTATDESK_WERROR="$werror" >/dev/null
  ninja -C "$build" -j "$jobs"
}

case "$mode" in
  demo)
    install_missing
    build_all
    mkdir -p "$build/demo"
    demo="$build/demo/demo-city.gpkg"
    [ -f "$demo" ] || "$build/bin/statdesk-cli" demo --out "$demo" --size small
    if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
      exec "$build/bin/statdesk" "$demo"
    else
      echo "No display: rendering the demo map instead."
      "$build/bin/statdesk-cli" render --project "$demo" --out "$build/demo/demo-city.png"
    fi
    ;;
  test)
    install_missing
    build_all
    cd "$build"
    ctest --output-on-failure -j "$jobs" --timeout 1200
    ;;
  *)
    usage
    ;;
esac
