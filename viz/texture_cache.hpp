#pragma once
// Pictures the views hand to the GPU once and then draw as a single quad — heat maps of
// sites × weeks, thousands of cells that would otherwise be thousands of rectangles a frame
// (the software renderer under Xvfb pays per triangle). Implemented with the window (OpenGL).

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace viz {

// The texture of `rgba` (width × height, RGBA8, top row first, IM_COL32 pixels), uploaded
// when `owner` is first seen or `version` changes. Sampled nearest: cells stay crisp.
// `make` is called only when the texture must be (re)built.
ImTextureID cached_texture(const void* owner, std::uint64_t version, int width, int height,
                           const std::function<std::vector<ImU32>()>& make);

// Frees every cached texture (the window does it before its context goes).
void release_textures();

}  // namespace viz
