#include "arrears/aging.hpp"

#include "arrears/error.hpp"

namespace arrears {

std::int32_t days_past_due(std::optional<Date> oldest_unpaid_due, Date as_of) {
    if (!oldest_unpaid_due) return 0;
    const std::int64_t d = days_between(*oldest_unpaid_due, as_of);
    return d > 0 ? static_cast<std::int32_t>(d) : 0;
}

Buckets::Buckets() : Buckets({1, 31, 61, 91, 121, 181}) {}

Buckets::Buckets(std::vector<std::int32_t> edges, std::vector<std::string> labels)
    : edges_(std::move(edges)), labels_(std::move(labels)) {
    if (edges_.empty()) throw ValidationError("buckets: at least one edge is needed (e.g. [1, 31, 61])");
    for (std::size_t i = 0; i < edges_.size(); ++i) {
        if (edges_[i] < 1)
            throw ValidationError("buckets[" + std::to_string(i) + "]: edge " + std::to_string(edges_[i]) +
                                  " must be at least 1 (0 days past due is always current)");
        if (i > 0 && edges_[i] <= edges_[i - 1])
            throw ValidationError("buckets[" + std::to_string(i) + "]: edge " + std::to_string(edges_[i]) +
                                  " must be greater than the previous edge " +
                                  std::to_string(edges_[i - 1]) + " (sorted, non-overlapping)");
    }
    if (labels_.empty()) {
        labels_.push_back("current");
        for (std::size_t k = 1; k <= edges_.size(); ++k) {
            const auto hi = upper(k);
            labels_.push_back(std::to_string(lower(k)) + (hi ? "-" + std::to_string(*hi) : "+"));
        }
    } else if (labels_.size() != edges_.size() + 1) {
        throw ValidationError("buckets.labels: " + std::to_string(labels_.size()) + " labels for " +
                              std::to_string(edges_.size() + 1) + " buckets (one more than the edges)");
    }
    for (std::size_t i = 0; i < labels_.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (labels_[i] == labels_[j])
                throw ValidationError("buckets.labels: duplicate label " + quote(labels_[i]));
}

Buckets Buckets::from_json(const JsonView& j) {
    std::vector<std::int32_t> edges;
    std::vector<std::string> labels;
    const JsonView edge_list = j.is_array() ? j : j.at("edges");
    if (!j.is_array()) j.check_keys({"edges", "labels"});
    for (std::size_t i = 0; i < edge_list.size(); ++i) {
        const std::int64_t e = edge_list.at(i).as_int();
        if (e < 1 || e > 1'000'000) edge_list.at(i).fail("edge " + std::to_string(e) + " is out of range");
        edges.push_back(static_cast<std::int32_t>(e));
    }
    if (!j.is_array())
        if (auto l = j.find("labels"))
            for (std::size_t i = 0; i < l->size(); ++i) labels.push_back(l->at(i).as_string());
    try {
        return Buckets(std::move(edges), std::move(labels));
    } catch (const ValidationError& e) {
        j.fail(e.what());
    }
}

Json Buckets::to_json() const { return Json{{"edges", edges_}, {"labels", labels_}}; }

std::string Buckets::repr() const {
    std::string out = "Buckets([";
    for (std::size_t i = 0; i < edges_.size(); ++i) out += (i ? ", " : "") + std::to_string(edges_[i]);
    return out + "])";
}

}  // namespace arrears
