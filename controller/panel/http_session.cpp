#include "http_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/websocket.hpp>

#include "api_routes.hpp"
#include "responses.hpp"
#include "static_files.hpp"
#include "ws_session.hpp"

namespace haven::panel {
namespace {

constexpr std::chrono::seconds idle_limit{60};
constexpr std::uint32_t header_limit = 8 * 1024;

}  // namespace

HttpSession::HttpSession(boost::asio::ip::tcp::socket socket,
                         std::shared_ptr<ServerContext> context)
    : stream_(std::move(socket)), context_(std::move(context)) {
    slot_.emplace(context_);
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    client_.address = ec ? "unknown" : endpoint.address().to_string();
}

void HttpSession::run() {
    read_next();
}

void HttpSession::close() {
    beast::error_code ec;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    stream_.close();
}

void HttpSession::read_next() {
    parser_.emplace();
    parser_->header_limit(header_limit);
    parser_->body_limit(context_->options.max_body);
    stream_.expires_after(idle_limit);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == boost::asio::error::operation_aborted || context_->stopped) {
        return close();
    }
    if (ec) {
        // Answer malformed or oversized requests with a reason, then drop the connection:
        // the rest of the stream cannot be trusted to be in step.
        Request request;
        request.version(11);
        request.keep_alive(false);
        const bool too_big = ec == http::error::body_limit || ec == http::error::header_limit ||
                             ec == http::error::buffer_overflow;
        auto status = too_big ? http::status::payload_too_large : http::status::bad_request;
        auto response = error_response(request, status, "malformed request: " + ec.message());
        response.keep_alive(false);
        return write(std::move(response));
    }
    auto request = parser_->release();
    if (beast::websocket::is_upgrade(request)) return upgrade(std::move(request));
    dispatch(std::move(request));
}

void HttpSession::dispatch(Request request) {
    const auto path = request_path(request);
    auto respond = [self = shared_from_this()](Response response) {
        self->write(std::move(response));
    };
    try {
        if (path.starts_with("/api/")) return handle_api(context_, request, client_, respond);
        if (request.method() != http::verb::get) {
            return respond(error_response(request, http::status::method_not_allowed, "GET only"));
        }
        respond(serve_static(context_->options.www_root, request));
    } catch (const std::exception& e) {
        spdlog::error("panel: request failed: {}", e.what());
        respond(error_response(request, http::status::internal_server_error, "internal error"));
    }
}

void HttpSession::upgrade(Request request) {
    if (request_path(request) != "/ws") {
        return write(error_response(request, http::status::not_found, "WebSocket is at /ws"));
    }
    if (!origin_matches_host(request)) {
        return write(
            error_response(request, http::status::forbidden, "Origin does not match Host"));
    }
    auto token = session_token(request);
    if (!token || !context_->sessions.find(*token, Clock::now())) {
        return write(error_response(request, http::status::unauthorized, "locked"));
    }
    stream_.expires_never();
    auto ws = std::make_shared<WsSession>(std::move(stream_), context_, std::move(*slot_));
    slot_.reset();
    ws->run(std::move(request));
}

void HttpSession::write(Response response) {
    if (context_->stopped) return;
    pending_ = std::make_shared<Response>(std::move(response));
    const bool close_after = pending_->need_eof();
    stream_.expires_after(idle_limit);
    http::async_write(stream_, *pending_,
                      [self = shared_from_this(), close_after](beast::error_code ec, std::size_t) {
                          self->on_write(ec, close_after);
                      });
}

void HttpSession::on_write(beast::error_code ec, bool close_after) {
    pending_.reset();
    if (ec || close_after || context_->stopped) return close();
    read_next();
}

}  // namespace haven::panel
