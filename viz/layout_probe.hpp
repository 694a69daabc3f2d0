#pragma once
// Where a frame put things, in pixels, for tests that check a rendered PNG: a plot's data area
// and axis ranges, a site's row. Views note what they drew; `trialtwin-viz render --layout`
// writes the notes as JSON. Costs nothing unless enabled.

#include <string>
#include <vector>

namespace viz::probe {

struct Note {
    std::string name;
    std::vector<double> values;
};

void enable(bool on);
bool enabled();
void clear();
void note(std::string name, std::vector<double> values);
const std::vector<Note>& notes();
std::string to_json();

}  // namespace viz::probe
