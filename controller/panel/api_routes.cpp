#include "api_routes.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "responses.hpp"

namespace haven::panel {
namespace {

using nlohmann::json;

// How long a command may wait for the journal before the panel tells the therapist.
constexpr std::chrono::seconds command_reply_limit{10};

bool is_plain_id(std::string_view text) {
    if (text.empty() || text.size() > 64) return false;
    for (char c : text) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

std::optional<json> parse_object(const Request& request) {
    auto body = json::parse(request.body(), nullptr, false);
    if (body.is_discarded() || !body.is_object()) return std::nullopt;
    return body;
}

// Calls a hook that returns JSON; a throwing hook becomes a 500, never a crash.
template <typename Hook>
Response json_from_hook(const Request& request, const Hook& hook) {
    if (!hook) return error_response(request, http::status::service_unavailable, "not available");
    try {
        return json_response(request, http::status::ok, hook());
    } catch (const std::exception& e) {
        spdlog::error("panel: {} failed: {}", std::string_view(request_path(request)), e.what());
        return error_response(request, http::status::internal_server_error, "internal error");
    }
}

// The one place a wrong PIN is logged (never the PIN itself): folded per address and role,
// so guessing cannot fill the disk (the throttle bounds what is evaluated, not what is sent).
void log_wrong_pin(ServerContext& context, Role role, const Client& client) {
    const std::string kind = "wrong " + std::string(to_string(role)) + " PIN";
    context.log.note(spdlog::level::warn, client.address, kind,
                     "panel: " + kind + " from " + client.address);
}

Response too_many_wrong_pins(const Request& request, Role role, std::chrono::seconds wait) {
    auto response =
        error_response(request, http::status::too_many_requests,
                       "too many wrong " + std::string(to_string(role)) + " PINs; try again in " +
                           std::to_string(wait.count()) + " s");
    response.set(http::field::retry_after, std::to_string(wait.count()));
    return response;
}

// A locked role or address is answered before the PIN is compared, so a guesser learns
// nothing while locked; a wrong PIN spends both the role's budget and the address's.
Response unlock(ServerContext& context, const Request& request, const Client& client) {
    const auto now = Clock::now();
    auto body = parse_object(request);
    if (!body) return error_response(request, http::status::bad_request, "expected {role, pin}");
    auto role_field = body->find("role");
    auto pin_field = body->find("pin");
    if (role_field == body->end() || !role_field->is_string() || pin_field == body->end() ||
        !pin_field->is_string()) {
        return error_response(request, http::status::bad_request, "expected {role, pin}");
    }
    auto role = role_from(role_field->get<std::string>());
    if (!role)
        return error_response(request, http::status::bad_request, "role is therapist or tech");
    if (auto wait = context.throttle.retry_after(*role, client.address, now))
        return too_many_wrong_pins(request, *role, *wait);
    const auto& expected =
        *role == Role::tech ? context.options.tech_pin : context.options.therapist_pin;
    if (!pins_equal(expected, pin_field->get<std::string>())) {
        context.throttle.failed(*role, client.address, now);
        log_wrong_pin(context, *role, client);
        return error_response(request, http::status::unauthorized, "wrong PIN");
    }
    context.throttle.succeeded(*role, client.address);
    // Unlocking again from the same browser replaces its session rather than adding one.
    if (auto old_token = session_token(request)) context.sessions.remove(*old_token);
    auto token = context.sessions.create(*role, now);
    if (!token) {
        spdlog::warn("panel: {} unlock from {} refused: {} panels are unlocked", to_string(*role),
                     client.address, SessionStore::max_sessions);
        return error_response(request, http::status::service_unavailable,
                              "too many unlocked panels; lock one first");
    }
    auto response =
        json_response(request, http::status::ok, json{{"ok", true}, {"role", to_string(*role)}});
    response.set(http::field::set_cookie,
                 session_cookie_header(*token, context.options.tls.has_value()));
    spdlog::info("panel: {} unlocked from {}", to_string(*role), client.address);
    return response;
}

Response lock(ServerContext& context, const Request& request) {
    if (auto token = session_token(request)) context.sessions.remove(*token);
    auto response = json_response(request, http::status::ok, json{{"ok", true}});
    response.set(http::field::set_cookie,
                 cleared_session_cookie_header(context.options.tls.has_value()));
    return response;
}

void command(const std::shared_ptr<ServerContext>& context, const Request& request, Role role,
             std::string_view name, Respond respond) {
    auto parsed = parse_command(name, request.body());
    if (!parsed.command) {
        return respond(error_response(request, http::status::bad_request, parsed.error));
    }
    if (!context->hooks.command) {
        return respond(error_response(request, http::status::service_unavailable, "not available"));
    }
    // The reply may come from inside the hook or much later; whichever of reply and the
    // time limit comes first answers, the other is ignored.
    auto answered = std::make_shared<bool>(false);
    auto timer = std::make_shared<boost::asio::steady_timer>(context->io, command_reply_limit);
    auto shared_request = std::make_shared<Request>(request);
    auto shared_respond = std::make_shared<Respond>(std::move(respond));
    auto finish = [=](Response response) {
        if (*answered) return;
        *answered = true;
        timer->cancel();
        (*shared_respond)(std::move(response));
    };
    timer->async_wait([=](boost::system::error_code ec) {
        if (ec) return;
        finish(error_response(*shared_request, http::status::gateway_timeout,
                              "the room did not confirm in time"));
    });
    auto reply = [context, finish, shared_request](bool ok, std::string reason) {
        boost::asio::post(context->io, [=] {
            finish(ok ? json_response(*shared_request, http::status::ok, json{{"ok", true}})
                      : error_response(*shared_request, http::status::conflict, reason));
        });
    };
    try {
        context->hooks.command(
            *parsed.command,
            CommandSource{CommandSource::Kind::panel, std::string(to_string(role))}, reply);
    } catch (const std::exception& e) {
        spdlog::error("panel: command {} failed: {}", name, e.what());
        finish(error_response(request, http::status::internal_server_error, "internal error"));
    }
}

Response test_light(ServerContext& context, const Request& request) {
    auto body = parse_object(request);
    if (!body) return error_response(request, http::status::bad_request, "expected {light, level}");
    auto light = body->find("light");
    auto level = body->find("level");
    if (light == body->end() || !light->is_string() || !is_plain_id(light->get<std::string>()) ||
        level == body->end() || !level->is_number() || level->get<double>() < 0 ||
        level->get<double>() > 100) {
        return error_response(request, http::status::bad_request,
                              "expected {light: id, level: 0..100}");
    }
    if (!context.hooks.test_light) {
        return error_response(request, http::status::service_unavailable, "not available");
    }
    if (auto refused = context.hooks.test_light(light->get<std::string>(), level->get<double>()))
        return error_response(request, http::status::conflict, std::move(*refused));
    return json_response(request, http::status::ok, json{{"ok", true}});
}

Response test_tone(ServerContext& context, const Request& request) {
    if (!context.hooks.test_tone) {
        return error_response(request, http::status::service_unavailable, "not available");
    }
    if (auto refused = context.hooks.test_tone())
        return error_response(request, http::status::conflict, std::move(*refused));
    return json_response(request, http::status::ok, json{{"ok", true}});
}

// What a report download is labelled as; nullopt for a format the panel does not offer.
std::optional<std::string_view> report_content_type(std::string_view format) {
    if (format == "json") return "application/json";
    if (format == "csv") return "text/csv; charset=utf-8";
    if (format == "html") return "text/html; charset=utf-8";
    return std::nullopt;
}

Response report(ServerContext& context, const Request& request, std::string_view id) {
    auto format = query_value(request, "format").value_or("json");
    const auto type = report_content_type(format);
    if (!is_plain_id(id) || !type) {
        return error_response(request, http::status::bad_request,
                              "bad report id or format (json, csv or html)");
    }
    if (!context.hooks.report) {
        return error_response(request, http::status::service_unavailable, "not available");
    }
    auto text = context.hooks.report(std::string(id), format);
    if (!text) return error_response(request, http::status::not_found, "no such report");
    auto response = text_response(request, http::status::ok, std::move(*text), *type);
    response.set(http::field::content_disposition,
                 "attachment; filename=\"haven-" + std::string(id) + "." + format + "\"");
    return response;
}

}  // namespace

void handle_api(const std::shared_ptr<ServerContext>& context, const Request& request,
                const Client& client, Respond respond) {
    const std::string_view path = request_path(request);
    const bool post = request.method() == http::verb::post;
    if (!post && request.method() != http::verb::get) {
        return respond(
            error_response(request, http::status::method_not_allowed, "GET or POST only"));
    }
    if (post && !origin_matches_host(request)) {
        return respond(
            error_response(request, http::status::forbidden, "Origin does not match Host"));
    }
    if (post && path == "/api/unlock") return respond(unlock(*context, request, client));
    if (post && path == "/api/lock") return respond(lock(*context, request));

    auto token = session_token(request);
    std::optional<Role> role;
    if (token) role = context->sessions.find(*token, Clock::now());
    if (!post && path == "/api/session") {
        // Built step by step: GCC 12 at -O2 misreads the optional in a ternary as uninitialised.
        json role_name;
        if (role.has_value()) role_name = to_string(role.value());
        return respond(json_response(request, http::status::ok, json{{"role", role_name}}));
    }
    if (!role) return respond(error_response(request, http::status::unauthorized, "locked"));

    const auto need_tech = [&] {
        respond(error_response(request, http::status::forbidden, "tech PIN required"));
    };
    constexpr std::string_view command_prefix = "/api/command/";
    constexpr std::string_view report_prefix = "/api/report/";
    if (!post && path == "/api/state")
        return respond(json_from_hook(request, context->hooks.state));
    if (post && path.starts_with(command_prefix)) {
        return command(context, request, *role, path.substr(command_prefix.size()),
                       std::move(respond));
    }
    if (!post && path == "/api/tech") {
        if (!role_allows(*role, Role::tech)) return need_tech();
        return respond(json_from_hook(request, context->hooks.tech_status));
    }
    if (!post && path == "/api/sessions") {
        if (!role_allows(*role, Role::tech)) return need_tech();
        return respond(json_from_hook(request, context->hooks.sessions));
    }
    if (post && path == "/api/tech/light") {
        if (!role_allows(*role, Role::tech)) return need_tech();
        return respond(test_light(*context, request));
    }
    if (post && path == "/api/tech/tone") {
        if (!role_allows(*role, Role::tech)) return need_tech();
        return respond(test_tone(*context, request));
    }
    if (!post && path.starts_with(report_prefix)) {
        if (!role_allows(*role, Role::tech)) return need_tech();
        return respond(report(*context, request, path.substr(report_prefix.size())));
    }
    respond(error_response(request, http::status::not_found, "no such API"));
}

}  // namespace haven::panel
