#pragma once
// A problem found in a room's configuration, located so a tech can go straight to it.

#include <string>
#include <vector>

namespace haven::config {

struct Diagnostic {
    std::string file;
    int line = 0;    // 1-based; 0 when the problem is not tied to a place in the file
    int column = 0;  // 1-based
    std::string message;

    // "FILE:LINE:COL: error: MESSAGE", the form compilers use, so editors can jump to it.
    std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace haven::config
