#!/usr/bin/env bash
# Installs every Debian 12 package trialtwin needs to build, test and run.
# Idempotent: packages already present are left as they are.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake make ninja-build pkg-config clang-format git
  # simulation kernel and numerics
  libsimgrid-dev libboost-random-dev libboost-dev libeigen3-dev
  # scenario files, command line, formatting
  libtomlplusplus-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  # results store (serial HDF5 only) and reading it back in tests
  libhdf5-dev hdf5-tools python3-h5py python3-numpy python3-pil
  # its chunks deflated on several threads (models/store/chunk_writer.hpp)
  zlib1g-dev
  # the command line's memory allocator (bench/README.md: small, short-lived allocations)
  libmimalloc-dev
  # visualizer: Dear ImGui with its GLFW/OpenGL3 backends, stb for PNG
  libimgui-dev libstb-dev libglfw3-dev libgl-dev libgl1-mesa-dri fonts-dejavu-core
  # the sponsor report: a PDF deck drawn with cairo; its pages read back in tests (pdftoppm)
  libcairo2-dev poppler-utils
  # headless windows for tests and PNG export
  xvfb xauth
  # tests; the fuzz targets are built with clang and libFuzzer (scripts/fuzz.sh)
  catch2 clang libclang-rt-14-dev
  # replications and sweep points spread over processes and machines (models/parallel/ranks.hpp;
  # the build uses MPI when it finds it, and runs as one process without)
  libopenmpi-dev openmpi-bin
  # benchmark scripts (bench/*.sh: wall time and peak RSS)
  time
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: must run as root to install packages. Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages[*]}" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
