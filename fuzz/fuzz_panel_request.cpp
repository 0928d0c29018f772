// The panel's HTTP/JSON handling: raw bytes through Beast's request parser (with the
// server's header and body limits), then routed as HttpSession::dispatch routes them:
// /api/ to handle_api, anything else to serve_static over the real www/ folder. There is no
// socket; the hooks answer at once. Input: byte 0 holds flags (bits 0-1: locked, therapist or
// tech session cookie added; bit 2: the room refuses commands; bit 3: hooks throw); the rest
// is the request. Invariants: every request is answered exactly once, and no answer header
// carries CR or LF (no header injection from a path, id or body).
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "api_routes.hpp"
#include "fuzz_support.hpp"
#include "http_types.hpp"
#include "responses.hpp"
#include "server_context.hpp"
#include "static_files.hpp"

namespace {

using namespace haven::panel;
using haven::fuzz::require;

constexpr std::uint32_t header_limit = 8 * 1024;  // as HttpSession
constexpr std::size_t max_body = 16 * 1024;       // PanelOptions' default

struct Flags {
    int role = 0;  // 0 locked, 1 therapist, 2 tech, 3 locked
    bool refuse = false;
    bool hooks_throw = false;
};

PanelHooks make_hooks(const Flags& flags) {
    auto fail = [throws = flags.hooks_throw] {
        if (throws) throw std::runtime_error("hook failed");
    };
    PanelHooks hooks;
    hooks.state = [fail] {
        fail();
        return nlohmann::json{{"phase", "arrival"}};
    };
    hooks.tech_status = [fail] {
        fail();
        return nlohmann::json{{"lights", nlohmann::json::array()}};
    };
    hooks.command = [fail, refuse = flags.refuse](const haven::Command&,
                                                  const haven::CommandSource&, auto reply) {
        fail();
        reply(!refuse, refuse ? "no session is running" : "");
    };
    hooks.report = [](const std::string& session,
                      const std::string& format) -> std::optional<std::string> {
        if (session != "s1") return std::nullopt;
        return "report " + format;
    };
    hooks.test_light = [](const std::string& light, double) -> std::optional<std::string> {
        if (light == "lamp") return std::nullopt;
        return "no such light";
    };
    hooks.test_tone = []() -> std::optional<std::string> { return "a session is running"; };
    return hooks;
}

std::optional<Request> parse_request(std::string_view bytes) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(header_limit);
    parser.body_limit(max_body);
    parser.eager(true);
    beast::error_code ec;
    // Everything is offered at once, as if the peer sent it all and then closed: the parser
    // takes what it can; when it wants more than is left, the stream ends there.
    while (!parser.is_done()) {
        const auto used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
        bytes.remove_prefix(used);
        if (ec == http::error::need_more && (used == 0 || bytes.empty())) {
            ec = {};
            parser.put_eof(ec);
            break;
        }
        if (ec && ec != http::error::need_more) break;
        if (used == 0) break;  // no progress: never spin
        ec = {};
    }
    if (ec || !parser.is_done()) return std::nullopt;
    return parser.release();
}

void check_response(const Response& response) {
    for (const auto& field : response) {
        const std::string_view value = field.value();
        require(value.find_first_of("\r\n") == std::string_view::npos,
                "answer headers carry no CR/LF", value);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool quiet = [] {
        spdlog::set_level(spdlog::level::off);
        return true;
    }();
    (void)quiet;
    if (size < 1) return 0;
    const Flags flags{
        .role = data[0] & 3, .refuse = (data[0] & 4) != 0, .hooks_throw = (data[0] & 8) != 0};
    auto request =
        parse_request(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
    if (!request) return 0;  // HttpSession answers 400/413 and closes; nothing else runs

    boost::asio::io_context io;
    PanelOptions options{
        .therapist_pin = "2468",
        .tech_pin = "1357",
        .www_root = std::filesystem::path(HAVEN_SOURCE_DIR) / "controller/panel/www"};
    auto context = std::make_shared<ServerContext>(io, std::move(options), make_hooks(flags));
    if (flags.role == 1 || flags.role == 2) {
        const auto role = flags.role == 1 ? Role::therapist : Role::tech;
        request->insert(http::field::cookie, std::string(session_cookie) + "=" +
                                                 *context->sessions.create(role, Clock::now()));
    }

    int answers = 0;
    auto respond = [&answers](Response response) {
        ++answers;
        check_response(response);
    };
    const Client client{.address = "127.0.0.1"};
    const auto path = request_path(*request);
    if (path.starts_with("/api/")) {
        handle_api(context, *request, client, respond);
    } else if (request->method() == http::verb::get) {
        respond(serve_static(context->options.www_root, *request));
    } else {
        respond(error_response(*request, http::status::method_not_allowed, "GET only"));
    }
    io.poll();  // command replies arrive through the io_context
    require(answers == 1, "every request is answered exactly once");
    return 0;
}
