#pragma once
// The look of the visualizer: a light theme that reads on a projector, a readable font, and
// the colours charts use (one per policy, colour-blind safe).

#include <imgui.h>

namespace viz::theme {

// Sets the ImGui style and loads the font (DejaVu Sans when installed, else ImGui's own,
// scaled). Call once after ImGui::CreateContext, before the first frame.
void apply(float font_size);

ImU32 policy(int index);  // line and band colour of the index-th policy
ImU32 with_alpha(ImU32 colour, float alpha);
ImU32 blend(ImU32 under, ImU32 over, float amount);  // opaque mix: over at `amount`
ImU32 heat(float share);   // 0 → white, 0.5 → blue, 1 → dark blue; for utilisation
ImU32 stock(float share);  // 0 → pale, 1 → green; for kits on hand
inline constexpr float overload = 0.85f;  // utilisation above this is highlighted

inline constexpr ImU32 ink = IM_COL32(30, 30, 36, 255);
inline constexpr ImU32 muted = IM_COL32(110, 110, 120, 255);
inline constexpr ImU32 grid = IM_COL32(222, 224, 230, 255);
inline constexpr ImU32 paper = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32 plan = IM_COL32(200, 30, 45, 255);  // the plan line and target
inline constexpr ImU32 alarm = IM_COL32(214, 39, 40, 255);
inline constexpr ImU32 startup = IM_COL32(176, 190, 210, 255);
inline constexpr ImU32 enrolling = IM_COL32(44, 160, 90, 255);
inline constexpr ImU32 follow_up = IM_COL32(160, 215, 175, 255);
inline constexpr ImU32 downtime = IM_COL32(90, 90, 90, 255);

}  // namespace viz::theme
