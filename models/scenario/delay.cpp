#include "models/scenario/delay.hpp"

#include <cmath>
#include <sstream>

namespace trial {

double Delay::mean() const {
    switch (kind) {
        case Kind::fixed:
            return days;
        case Kind::uniform:
            return 0.5 * (min_days + max_days);
        case Kind::triangular:
            return (min_days + mode_days + max_days) / 3.0;
        case Kind::lognormal:
            return median_days * std::exp(0.5 * sigma * sigma);
        case Kind::gamma:
        case Kind::exponential:
            return mean_days;
    }
    return days;
}

std::string Delay::describe() const {
    std::ostringstream out;
    switch (kind) {
        case Kind::fixed:
            out << days << " d";
            break;
        case Kind::uniform:
            out << "uniform " << min_days << "-" << max_days << " d";
            break;
        case Kind::triangular:
            out << "triangular " << min_days << "/" << mode_days << "/" << max_days << " d";
            break;
        case Kind::lognormal:
            out << "lognormal median " << median_days << " d, sigma " << sigma;
            break;
        case Kind::gamma:
            out << "gamma mean " << mean_days << " d, shape " << shape;
            break;
        case Kind::exponential:
            out << "exponential mean " << mean_days << " d";
            break;
    }
    return out.str();
}

}  // namespace trial
