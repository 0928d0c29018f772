#include "static_files.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

#include "responses.hpp"

namespace haven::panel {
namespace {

std::string_view mime_type(const std::filesystem::path& file) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> types{{
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".webmanifest", "application/manifest+json"},
    }};
    const auto extension = file.extension().string();
    for (const auto& [ext, type] : types) {
        if (ext == extension) return type;
    }
    return "application/octet-stream";
}

// A URL path of plain segments: letters, digits, '-', '_', '.', no segment starting with '.'.
bool is_safe_path(std::string_view path) {
    if (path.empty() || path.front() != '/' || path.size() > 200) return false;
    bool segment_start = true;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const char c = path[i];
        if (c == '/') {
            if (segment_start && i > 0) return false;  // "//": an empty segment
            segment_start = true;
            continue;
        }
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!plain || (segment_start && c == '.')) return false;
        segment_start = false;
    }
    return true;
}

}  // namespace

Response serve_static(const std::filesystem::path& www_root, const Request& request) {
    std::string_view path = request_path(request);
    if (path == "/") path = "/index.html";
    if (path == "/tech") path = "/tech.html";
    if (!is_safe_path(path)) return error_response(request, http::status::bad_request, "bad path");

    std::error_code ec;
    const auto root = std::filesystem::canonical(www_root, ec);
    if (ec) return error_response(request, http::status::not_found, "no pages installed");
    const auto file = std::filesystem::weakly_canonical(root / path.substr(1), ec);
    // Belt and braces against symlinks leading out of the root.
    auto [root_end, file_it] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
    if (ec || root_end != root.end() || !std::filesystem::is_regular_file(file, ec)) {
        return error_response(request, http::status::not_found, "not found");
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in) return error_response(request, http::status::internal_server_error, "unreadable");

    auto response =
        text_response(request, http::status::ok, std::move(content).str(), mime_type(file));
    response.set(http::field::cache_control, "no-cache");
    return response;
}

}  // namespace haven::panel
