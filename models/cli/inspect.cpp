#include "models/cli/inspect.hpp"

#include <H5Cpp.h>

#include <filesystem>
#include <iomanip>
#include <optional>
#include <ostream>
#include <sstream>

#include "models/files/input_file.hpp"
#include "models/h5/checked_read.hpp"
#include "models/h5/survives.hpp"
#include "models/results/schema.hpp"

namespace trial {
namespace {

std::string text_attribute(const H5::H5Object& where, const char* name) {
    return h5::text(where, name).value_or("(missing)");
}

std::string number_attribute(const H5::H5Object& where, const char* name, int precision = 0) {
    const std::optional<double> value = h5::number(where, name);
    if (!value) return "(missing)";
    std::ostringstream text;
    text << std::fixed << std::setprecision(precision) << *value;
    return text.str();
}

std::string seed_attribute(const H5::H5Object& where) {
    const std::optional<std::uint64_t> seed = h5::unsigned_integer(where, schema::root::seed);
    return seed ? std::to_string(*seed) : "(missing)";
}

std::string shape(const H5::Group& group, const std::string& name) {
    if (!group.nameExists(name)) return "(missing)";
    const std::vector<std::uint64_t> dims = h5::shape(group.openDataSet(name));
    if (dims.empty()) return "scalar";
    std::string text;
    for (std::size_t d = 0; d < dims.size(); ++d)
        text += (d ? " x " : "") + std::to_string(dims[d]);
    return text;
}

bool describe(const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace

bool inspect_results(const std::string& path, std::ostream& out, std::ostream& err) {
    if (const std::string problem = files::input_problem(path, false); !problem.empty()) {
        err << path << ": " << problem << "\n";
        return false;
    }
    // First in a child process: the HDF5 library may crash or loop on a damaged file.
    const auto problem = h5::crashes_or_hangs(
        [&] {
            std::ostringstream ignored;
            describe(path, ignored, ignored);
        },
        h5::reading_time_limit(path));
    if (problem) {
        err << path << ": damaged results file: " << *problem << "\n";
        return false;
    }
    return describe(path, out, err);
}

namespace {

bool describe(const std::string& path, std::ostream& out, std::ostream& err) {
    H5::Exception::dontPrint();
    try {
        if (!H5::H5File::isHdf5(path)) {
            err << path << ": not an HDF5 file\n";
            return false;
        }
        H5::H5File file(path, H5F_ACC_RDONLY);
        H5::Group root = file.openGroup("/");
        namespace attr = schema::root;
        if (h5::text(root, attr::format).value_or("") != schema::format_name) {
            err << path
                << ": an HDF5 file, but not a trialtwin results file (no format attribute)\n";
            return false;
        }
        out << path << ": trialtwin results, format version "
            << number_attribute(root, attr::format_version) << "\n";
        out << "  trial        " << text_attribute(root, attr::trial_name) << " (start "
            << text_attribute(root, attr::start_date) << ", target "
            << number_attribute(root, attr::randomisation_target) << " randomised)\n";
        out << "  made         " << text_attribute(root, attr::created_utc) << " by trialtwin "
            << text_attribute(root, attr::tool_version) << ", engine "
            << text_attribute(root, attr::engine) << "\n";
        out << "  command      " << text_attribute(root, attr::command_line) << "\n";
        out << "  replications " << number_attribute(root, attr::replications) << ", seed "
            << seed_attribute(root) << "\n";
        if (root.nameExists(schema::scenario)) {
            out << "  scenario     "
                << text_attribute(root.openDataSet(schema::scenario), schema::scenario_path)
                << " (kept verbatim in /scenario)\n";
        }
        if (!root.nameExists(schema::policies)) {
            err << path << ": damaged or incomplete results file (no /policies)\n";
            return false;
        }
        H5::Group policies = root.openGroup(schema::policies);
        for (hsize_t i = 0; i < policies.getNumObjs(); ++i) {
            const std::string name = policies.getObjnameByIdx(i);
            H5::Group policy = policies.openGroup(name);
            namespace pol = schema::policy;
            out << "  policy \"" << name << "\":\n";
            out << "    replications table " << shape(policy, pol::replications)
                << " rows; sites table " << shape(policy, pol::sites) << " rows\n";
            const std::string weekly = std::string(pol::weekly) + "/" + schema::weekly::randomised;
            out << "    weekly randomised "
                << (policy.nameExists(pol::weekly) ? shape(policy, weekly) : "(missing)")
                << " (replications x weeks), with quantile bands\n";
            const std::string utilisation =
                std::string(pol::site_weekly) + "/" + schema::site_weekly::staff_utilisation;
            out << "    per-site weekly staff and equipment utilisation "
                << (policy.nameExists(pol::site_weekly) ? shape(policy, utilisation) : "(missing)")
                << "\n";
            if (policy.nameExists(pol::metrics)) {
                H5::Group metrics = policy.openGroup(pol::metrics);
                for (const char* key : {"target_met_day", "enrollment_duration_days",
                                        "last_patient_last_visit_day", "cost_total"}) {
                    if (!metrics.nameExists(key)) continue;
                    H5::Group m = metrics.openGroup(key);
                    out << "    " << std::left << std::setw(30)
                        << text_attribute(m, schema::metric::label) << std::right << " median "
                        << number_attribute(m, schema::metric::median) << "  P10 "
                        << number_attribute(m, schema::metric::p10) << "  P90 "
                        << number_attribute(m, schema::metric::p90) << "\n";
                }
            }
            out << "    P(target met by plan) "
                << number_attribute(policy, pol::p_target_met_by_plan, 3) << "\n";
        }
        if (root.nameExists(schema::optimise::group)) {
            namespace opt = schema::optimise;
            H5::Group g = root.openGroup(opt::group);
            out << "  optimise     " << text_attribute(g, opt::sense) << " "
                << text_attribute(g, opt::objective) << ": " << shape(g, opt::evaluations)
                << " evaluations on " << number_attribute(g, opt::replications)
                << " replications, validated on "
                << number_attribute(g, opt::validation_replications) << "\n               "
                << text_attribute(g, opt::verdict) << "\n";
        }
        if (root.nameExists(schema::sensitivity::group)) {
            namespace sen = schema::sensitivity;
            H5::Group g = root.openGroup(sen::group);
            out << "  sensitivity  " << shape(g, sen::low) << " inputs x " << shape(g, sen::base)
                << " outputs; one-at-a-time effects"
                << (g.attrExists(sen::base_points)
                        ? "; Sobol indices on " + shape(g, sen::design) + " design points"
                        : std::string())
                << "\n";
        }
        return true;
    } catch (const h5::ReadError& e) {
        err << path << ": damaged results file (" << e.what() << ")\n";
        return false;
    } catch (const H5::Exception& e) {
        err << path << ": damaged or incomplete results file (" << e.getFuncName() << ": "
            << e.getDetailMsg() << ")\n";
        return false;
    } catch (const std::bad_alloc&) {
        err << path << ": damaged results file (it claims more data than this machine can hold)\n";
        return false;
    }
}

}  // namespace

}  // namespace trial
