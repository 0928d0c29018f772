#include "diagnostic.hpp"

namespace haven::config {

std::string Diagnostic::to_string() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
    return out + ": error: " + message;
}

}  // namespace haven::config
