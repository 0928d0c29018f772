#include "admission.hpp"

namespace haven::panel {
namespace {

// The untrusted connection that has gone longest without progress, among those `match`es.
template <typename Match>
std::optional<std::size_t> idlest_untrusted(std::span<const WaitingConnection> http, Match match) {
    std::optional<std::size_t> idlest;
    for (std::size_t i = 0; i < http.size(); ++i) {
        if (http[i].trusted || !match(http[i])) continue;
        if (!idlest || http[i].last_progress < http[*idlest].last_progress) idlest = i;
    }
    return idlest;
}

}  // namespace

Admission decide_admission(std::span<const WaitingConnection> http, std::size_t open_total,
                           const std::string& newcomer, AdmissionLimits limits) {
    std::size_t from_newcomer = 0;
    for (const auto& connection : http)
        if (!connection.trusted && connection.address == newcomer) ++from_newcomer;
    if (from_newcomer >= limits.per_address) {
        return {true, idlest_untrusted(http, [&](const auto& c) { return c.address == newcomer; })};
    }
    if (open_total < limits.max_connections) return {true, std::nullopt};
    auto evict = idlest_untrusted(http, [](const auto&) { return true; });
    return {evict.has_value(), evict};
}

}  // namespace haven::panel
