#include "viz/theme.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace viz::theme {

void apply(float font_size) {
    ImGui::StyleColorsLight();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowRounding = 0;
    style.FrameRounding = 3;
    style.TabRounding = 3;
    style.WindowPadding = ImVec2(12, 10);
    style.FramePadding = ImVec2(8, 4);
    style.ItemSpacing = ImVec2(10, 6);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(1, 1, 1, 1);
    style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(ink);

    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini next to the user's files
    const char* font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    // Latin-1, general punctuation (– — ·), arrows and the minus sign.
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x2193,
                                     0x2212, 0x2212, 0x2264, 0x2265, 0};
    if (std::filesystem::exists(font) &&
        io.Fonts->AddFontFromFileTTF(font, font_size, nullptr, ranges))
        return;
    ImFontConfig config;
    config.SizePixels = font_size;
    io.Fonts->AddFontDefault(&config);
}

ImU32 policy(int index) {
    // Okabe–Ito, darkest first, then five of Paul Tol's muted scheme that stay apart from
    // them: twelve series before a colour repeats.
    static constexpr ImU32 colours[] = {
        IM_COL32(0, 114, 178, 255),   IM_COL32(213, 94, 0, 255),   IM_COL32(0, 158, 115, 255),
        IM_COL32(204, 121, 167, 255), IM_COL32(230, 159, 0, 255),  IM_COL32(86, 180, 233, 255),
        IM_COL32(0, 0, 0, 255),       IM_COL32(136, 34, 85, 255),  IM_COL32(153, 153, 51, 255),
        IM_COL32(51, 34, 136, 255),   IM_COL32(68, 170, 153, 255), IM_COL32(170, 68, 153, 255)};
    return colours[index % (sizeof colours / sizeof colours[0])];
}

ImU32 with_alpha(ImU32 colour, float alpha) {
    const auto a = static_cast<ImU32>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f + 0.5f);
    return (colour & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

namespace {
ImU32 mix(ImVec4 a, ImVec4 b, float t) {
    t = std::clamp(t, 0.0f, 1.0f);
    return ImGui::ColorConvertFloat4ToU32(
        ImVec4(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.z + (b.z - a.z) * t, 1.0f));
}
}  // namespace

ImU32 blend(ImU32 under, ImU32 over, float amount) {
    return mix(ImGui::ColorConvertU32ToFloat4(under), ImGui::ColorConvertU32ToFloat4(over), amount);
}

ImU32 heat(float share) {
    const ImVec4 white(0.97f, 0.98f, 1.0f, 1), blue(0.35f, 0.55f, 0.85f, 1),
        deep(0.05f, 0.15f, 0.45f, 1);
    if (std::isnan(share)) return IM_COL32(240, 240, 240, 255);
    return share < 0.5f ? mix(white, blue, share * 2) : mix(blue, deep, (share - 0.5f) * 2);
}

ImU32 stock(float share) {
    if (std::isnan(share)) return IM_COL32(240, 240, 240, 255);
    return mix(ImVec4(0.98f, 0.97f, 0.90f, 1), ImVec4(0.10f, 0.50f, 0.25f, 1), share);
}

}  // namespace viz::theme
