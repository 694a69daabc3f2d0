#include "models/store/decision_groups.hpp"

#include "models/results/schema.hpp"
#include "models/store/h5_write.hpp"

namespace trial {
namespace {

using namespace h5_write;

const H5::PredType& f64 = H5::PredType::NATIVE_DOUBLE;
const H5::PredType& i32 = H5::PredType::NATIVE_INT32;
const H5::PredType& i8 = H5::PredType::NATIVE_INT8;

void vector_of(H5::Group& group, const char* name, const std::vector<double>& values) {
    const hsize_t count[1] = {values.size()};
    H5::DataSet set = group.createDataSet(name, f64, H5::DataSpace(1, count));
    if (!values.empty()) set.write(values.data(), f64);
}

void texts(H5::Group& group, const char* name, const std::vector<std::string>& values) {
    const hsize_t count[1] = {values.size()};
    std::vector<const char*> cells;
    for (const std::string& v : values)
        cells.push_back(v.c_str());
    H5::DataSet set = group.createDataSet(name, text_type(), H5::DataSpace(1, count));
    if (!cells.empty()) set.write(cells.data(), text_type());
}

H5::CompType evaluation_type() {
    using R = OptimiseEvaluationRow;
    H5::CompType t(sizeof(R));
    t.insertMember("evaluation", HOFFSET(R, evaluation), i32);
    t.insertMember("phase", HOFFSET(R, phase), i32);
    t.insertMember("objective", HOFFSET(R, objective), f64);
    t.insertMember("shortfall", HOFFSET(R, shortfall), f64);
    t.insertMember("feasible", HOFFSET(R, feasible), i8);
    t.insertMember("on_front", HOFFSET(R, on_front), i8);
    t.insertMember("sites_open", HOFFSET(R, sites_open), i32);
    return t;
}

H5::CompType validation_type() {
    using R = OptimiseValidationRow;
    H5::CompType t(sizeof(R));
    t.insertMember("evaluation", HOFFSET(R, evaluation), i32);
    t.insertMember("in_sample_objective", HOFFSET(R, in_sample_objective), f64);
    t.insertMember("objective", HOFFSET(R, objective), f64);
    t.insertMember("difference", HOFFSET(R, difference), f64);
    t.insertMember("difference_low", HOFFSET(R, difference_low), f64);
    t.insertMember("difference_high", HOFFSET(R, difference_high), f64);
    t.insertMember("feasible", HOFFSET(R, feasible), i8);
    t.insertMember("chosen", HOFFSET(R, chosen), i8);
    return t;
}

template <class Row>
void table(H5::Group& group, const char* name, const H5::CompType& type,
           const std::vector<Row>& rows) {
    const hsize_t count[1] = {rows.size()};
    H5::DataSet set = group.createDataSet(name, type, H5::DataSpace(1, count), chunked(1, count));
    if (!rows.empty()) set.write(rows.data(), type);
}

}  // namespace

void write_optimise_group(H5::H5File& file, const OptimiseTables& t) {
    namespace s = schema::optimise;
    H5::Group g = file.createGroup(s::group);
    attribute(g, s::objective, t.objective);
    attribute(g, s::sense, t.sense);
    attribute(g, s::constraints, lines_of(t.constraints));
    attribute(g, s::variables, lines_of(t.variables));
    attribute(g, s::candidate_sites, lines_of(t.candidate_sites));
    attribute(g, s::replications, i32, t.replications);
    attribute(g, s::seed, H5::PredType::NATIVE_UINT64, t.seed);
    attribute(g, s::validation_replications, i32, t.validation_replications);
    attribute(g, s::validation_seed, H5::PredType::NATIVE_UINT64, t.validation_seed);
    attribute(g, s::chosen_evaluation, i32, t.chosen_evaluation);
    attribute(g, s::chosen_sets, lines_of(t.chosen_sets));
    attribute(g, s::verdict, t.verdict);
    table(g, s::evaluations, evaluation_type(), t.evaluations);
    matrix(g, s::constraint_values, f64, t.constraint_values);
    matrix(g, s::variable_values, f64, t.variable_values);
    matrix(g, s::sites_open, i8, t.sites_open);
    texts(g, s::decisions, t.decisions);
    table(g, s::validation, validation_type(), t.validation);
    matrix(g, s::validation_constraints, f64, t.validation_constraints);
}

void write_sensitivity_group(H5::H5File& file, const SensitivityTables& t) {
    namespace s = schema::sensitivity;
    H5::Group g = file.createGroup(s::group);
    attribute(g, s::keys, lines_of(t.keys));
    attribute(g, s::outputs, lines_of(t.outputs));
    attribute(g, s::replications, i32, t.replications);
    attribute(g, s::seed, H5::PredType::NATIVE_UINT64, t.seed);
    vector_of(g, s::low, t.low);
    vector_of(g, s::high, t.high);
    vector_of(g, s::base, t.base);
    matrix(g, s::oat_low, f64, t.oat_low);
    matrix(g, s::oat_high, f64, t.oat_high);
    matrix(g, s::oat_effect, f64, t.oat_effect);
    matrix(g, s::oat_effect_low, f64, t.oat_effect_low);
    matrix(g, s::oat_effect_high, f64, t.oat_effect_high);
    if (!t.has_sobol) return;
    attribute(g, s::base_points, i32, t.base_points);
    attribute(g, s::bootstrap, i32, t.bootstrap);
    matrix(g, s::design, f64, t.design);
    matrix(g, s::design_outputs, f64, t.design_outputs);
    matrix(g, s::first, f64, t.first);
    matrix(g, s::first_low, f64, t.first_low);
    matrix(g, s::first_high, f64, t.first_high);
    matrix(g, s::total, f64, t.total);
    matrix(g, s::total_low, f64, t.total_low);
    matrix(g, s::total_high, f64, t.total_high);
}

}  // namespace trial
