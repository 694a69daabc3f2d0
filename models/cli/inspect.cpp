#include "models/cli/inspect.hpp"

#include <H5Cpp.h>

#include <filesystem>
#include <iomanip>
#include <ostream>

namespace trial {
namespace {

std::string text_attribute(const H5::H5Object& where, const char* name) {
    if (!where.attrExists(name)) return "(missing)";
    H5::Attribute a = where.openAttribute(name);
    std::string value;
    a.read(a.getStrType(), value);
    return value;
}

template <class T>
T number_attribute(const H5::H5Object& where, const char* name, const H5::PredType& type) {
    T value{};
    if (where.attrExists(name)) where.openAttribute(name).read(type, &value);
    return value;
}

std::string shape(const H5::DataSet& set) {
    const H5::DataSpace space = set.getSpace();
    const int rank = space.getSimpleExtentNdims();
    if (rank == 0) return "scalar";
    hsize_t dims[8];
    space.getSimpleExtentDims(dims);
    std::string text;
    for (int d = 0; d < rank; ++d)
        text += (d ? " x " : "") + std::to_string(dims[d]);
    return text;
}

}  // namespace

bool inspect_results(const std::string& path, std::ostream& out, std::ostream& err) {
    if (!std::filesystem::is_regular_file(path)) {
        err << path << ": no such file\n";
        return false;
    }
    H5::Exception::dontPrint();
    try {
        if (!H5::H5File::isHdf5(path)) {
            err << path << ": not an HDF5 file\n";
            return false;
        }
        H5::H5File file(path, H5F_ACC_RDONLY);
        H5::Group root = file.openGroup("/");
        if (text_attribute(root, "format") != "trialtwin-results") {
            err << path
                << ": an HDF5 file, but not a trialtwin results file (no format attribute)\n";
            return false;
        }
        out << path << ": trialtwin results, format version "
            << number_attribute<int>(root, "format_version", H5::PredType::NATIVE_INT32) << "\n";
        out << "  trial        " << text_attribute(root, "trial_name") << " (start "
            << text_attribute(root, "start_date") << ", target "
            << number_attribute<int>(root, "randomisation_target", H5::PredType::NATIVE_INT32)
            << " randomised)\n";
        out << "  made         " << text_attribute(root, "created_utc") << " by trialtwin "
            << text_attribute(root, "tool_version") << ", engine " << text_attribute(root, "engine")
            << "\n";
        out << "  command      " << text_attribute(root, "command_line") << "\n";
        out << "  replications "
            << number_attribute<int>(root, "replications", H5::PredType::NATIVE_INT32) << ", seed "
            << number_attribute<std::uint64_t>(root, "seed", H5::PredType::NATIVE_UINT64) << "\n";
        H5::DataSet scenario = file.openDataSet("scenario");
        out << "  scenario     " << text_attribute(scenario, "path")
            << " (kept verbatim in /scenario)\n";
        H5::Group policies = file.openGroup("policies");
        for (hsize_t i = 0; i < policies.getNumObjs(); ++i) {
            const std::string name = policies.getObjnameByIdx(i);
            H5::Group policy = policies.openGroup(name);
            out << "  policy \"" << name << "\":\n";
            out << "    replications table " << shape(policy.openDataSet("replications"))
                << " rows; sites table " << shape(policy.openDataSet("sites")) << " rows\n";
            out << "    weekly randomised " << shape(policy.openDataSet("weekly/randomised"))
                << " (replications x weeks), with quantile bands\n";
            out << "    per-site weekly staff and equipment utilisation "
                << shape(policy.openDataSet("site_weekly/staff_utilisation_mean")) << "\n";
            H5::Group metrics = policy.openGroup("metrics");
            for (const char* key : {"target_met_day", "enrollment_duration_days",
                                    "last_patient_last_visit_day", "cost_total"}) {
                if (!metrics.exists(key)) continue;
                H5::Group m = metrics.openGroup(key);
                out << "    " << std::left << std::setw(30) << text_attribute(m, "label")
                    << std::right << std::fixed << std::setprecision(0) << " median "
                    << number_attribute<double>(m, "median", H5::PredType::NATIVE_DOUBLE)
                    << "  P10 " << number_attribute<double>(m, "p10", H5::PredType::NATIVE_DOUBLE)
                    << "  P90 " << number_attribute<double>(m, "p90", H5::PredType::NATIVE_DOUBLE)
                    << "\n";
            }
            out << "    P(target met by plan) " << std::setprecision(3)
                << number_attribute<double>(policy, "p_target_met_by_plan",
                                            H5::PredType::NATIVE_DOUBLE)
                << "\n";
        }
        return true;
    } catch (const H5::Exception& e) {
        err << path << ": damaged or incomplete results file (" << e.getFuncName() << ": "
            << e.getDetailMsg() << ")\n";
        return false;
    }
}

}  // namespace trial
