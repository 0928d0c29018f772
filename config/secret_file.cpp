#include "secret_file.hpp"

#include <fstream>

namespace haven::config {

std::optional<std::string> read_secret_file(const std::filesystem::path& file) {
    std::ifstream in{file, std::ios::binary};
    std::string line;
    if (!in || !std::getline(in, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) return std::nullopt;
    return line;
}

}  // namespace haven::config
