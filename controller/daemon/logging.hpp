#pragma once
// Logs go to stderr, one line per event with a level. Under systemd (JOURNAL_STREAM set)
// lines carry the kernel-style "<N>" priority prefix journald understands and no timestamp
// (journald adds its own); by hand they carry a local timestamp.

#include <string_view>

namespace haven::daemon {

void setup_logging(std::string_view level = "info");

}  // namespace haven::daemon
