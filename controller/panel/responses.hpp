#pragma once
// Building answers and reading the parts of a request every route checks. Internal header.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http_types.hpp"

namespace haven::panel {

inline constexpr std::string_view session_cookie = "haven_session";

Response text_response(const Request& request, http::status status, std::string body,
                       std::string_view content_type);
Response json_response(const Request& request, http::status status, const nlohmann::json& body);
// {"error": reason}; also logged at info so a tech can see why a browser was refused.
Response error_response(const Request& request, http::status status, std::string reason);

// State-changing requests and WebSocket upgrades must come from a page this server served:
// the Origin header names the same host (and port) as the Host header.
bool origin_matches_host(const Request& request);

// Set-Cookie values for the session: set after an unlock, cleared on lock. `secure` (HTTPS)
// adds Secure so the browser never sends the cookie over plain HTTP.
std::string session_cookie_header(std::string_view token, bool secure);
std::string cleared_session_cookie_header(bool secure);

// The haven_session cookie's value, if the browser sent one.
std::optional<std::string> session_token(const Request& request);

// The path without its query, and one query parameter's raw value.
std::string_view request_path(const Request& request);
std::optional<std::string> query_value(const Request& request, std::string_view key);

}  // namespace haven::panel
