#pragma once
// Serves the pages under www_root. Paths are resolved strictly inside the root: no "..",
// no percent-escapes, no hidden files, regular files only. Internal header.

#include <filesystem>

#include "http_types.hpp"

namespace haven::panel {

Response serve_static(const std::filesystem::path& www_root, const Request& request);

}  // namespace haven::panel
