#include "journal_test_support.hpp"

namespace haven::journal::testing {

Entry make_entry(std::string session, std::string type, nlohmann::json data, int offset_s) {
    constexpr std::int64_t base_s = 1772442000;  // 2026-03-02T09:00:00Z
    return Entry{
        .session_id = std::move(session),
        .type = std::move(type),
        .data = std::move(data),
        .wall = WallTime(std::chrono::seconds(base_s + offset_s)),
        .monotonic_ms = std::int64_t{offset_s} * 1000,
    };
}

}  // namespace haven::journal::testing
