#include "responses.hpp"

#include <spdlog/spdlog.h>

#include "json_text.hpp"

namespace haven::panel {

Response text_response(const Request& request, http::status status, std::string body,
                       std::string_view content_type) {
    Response response{status, request.version()};
    response.set(http::field::server, "haven-panel");
    response.set(http::field::content_type, content_type);
    response.set(http::field::cache_control, "no-store");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("X-Frame-Options", "DENY");
    response.set("Referrer-Policy", "no-referrer");
    response.set("Content-Security-Policy",
                 "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                 "frame-ancestors 'none'");
    response.keep_alive(request.keep_alive());
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

Response json_response(const Request& request, http::status status, const nlohmann::json& body) {
    return text_response(request, status, json_text(body), "application/json");
}

// Not logged here: the connection that sends it logs refusals, folded per client
// (HttpSession::write), so a flood of bad requests cannot flood the log.
Response error_response(const Request& request, http::status status, std::string reason) {
    return json_response(request, status, nlohmann::json{{"error", std::move(reason)}});
}

bool origin_matches_host(const Request& request) {
    auto origin = request.find(http::field::origin);
    auto host = request.find(http::field::host);
    if (origin == request.end() || host == request.end() || host->value().empty()) return false;
    const std::string_view value = origin->value();
    const std::string_view host_value = host->value();
    for (std::string_view scheme : {"http://", "https://"}) {
        if (value.size() == scheme.size() + host_value.size() && value.starts_with(scheme) &&
            value.substr(scheme.size()) == host_value) {
            return true;
        }
    }
    return false;
}

std::string session_cookie_header(std::string_view token, bool secure) {
    std::string value = std::string(session_cookie) + "=" + std::string(token) +
                        "; Path=/; HttpOnly; SameSite=Strict";
    return secure ? value + "; Secure" : value;
}

std::string cleared_session_cookie_header(bool secure) {
    return session_cookie_header("", secure) + "; Max-Age=0";
}

std::optional<std::string> session_token(const Request& request) {
    for (auto it = request.find(http::field::cookie);
         it != request.end() && it->name() == http::field::cookie; ++it) {
        std::string_view cookies = it->value();
        while (!cookies.empty()) {
            auto end = cookies.find(';');
            auto pair = cookies.substr(0, end);
            while (!pair.empty() && pair.front() == ' ')
                pair.remove_prefix(1);
            if (pair.starts_with(session_cookie) && pair.size() > session_cookie.size() &&
                pair[session_cookie.size()] == '=') {
                return std::string(pair.substr(session_cookie.size() + 1));
            }
            if (end == std::string_view::npos) break;
            cookies.remove_prefix(end + 1);
        }
    }
    return std::nullopt;
}

std::string_view request_path(const Request& request) {
    std::string_view target = request.target();
    return target.substr(0, target.find('?'));
}

std::optional<std::string> query_value(const Request& request, std::string_view key) {
    std::string_view target = request.target();
    auto question = target.find('?');
    if (question == std::string_view::npos) return std::nullopt;
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        auto end = query.find('&');
        auto pair = query.substr(0, end);
        auto equals = pair.find('=');
        if (pair.substr(0, equals) == key) {
            return equals == std::string_view::npos ? std::string{}
                                                    : std::string(pair.substr(equals + 1));
        }
        if (end == std::string_view::npos) break;
        query.remove_prefix(end + 1);
    }
    return std::nullopt;
}

}  // namespace haven::panel
