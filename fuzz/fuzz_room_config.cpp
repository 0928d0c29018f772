// The room's YAML: load_room_config_from_string, as `haven check` and the daemon's reload
// read it. Anchored in tests/config/broken/ so relative pin files and playlists resolve and
// a valid room loads fully. Invariant: a config comes back iff there are no diagnostics.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string yaml(reinterpret_cast<const char*>(data), size);
    static const std::filesystem::path anchor =
        std::filesystem::path(HAVEN_SOURCE_DIR) / "tests/config/broken/fuzz-room.yaml";
    const auto result = haven::config::load_room_config_from_string(yaml, anchor);
    haven::fuzz::require(result.config.has_value() == result.diagnostics.empty(),
                         "config is set exactly when there are no diagnostics", yaml);
    return 0;
}
