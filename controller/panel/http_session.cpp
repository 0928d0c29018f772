#include "http_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/write.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/websocket.hpp>

#include "api_routes.hpp"
#include "responses.hpp"
#include "static_files.hpp"
#include "ws_session.hpp"

namespace haven::panel {
namespace {

constexpr std::uint32_t header_limit = 8 * 1024;
// Answers may be large (reports) and the tablet's Wi-Fi slow; reading them is not an attack
// on the slots, since an untrusted connection can still be evicted meanwhile.
constexpr std::chrono::seconds write_limit{60};

// What a browser shows when someone types http:// for a panel that speaks HTTPS.
constexpr std::string_view plain_http_refusal =
    "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n"
    "Content-Length: 44\r\n\r\nThis panel speaks HTTPS: open it as https://";

}  // namespace

template <typename Stream>
HttpSession<Stream>::HttpSession(Stream stream, std::string address,
                                 std::shared_ptr<ServerContext> context)
    : stream_(std::move(stream)), context_(std::move(context)), last_progress_(Clock::now()) {
    slot_.emplace(context_);
    client_.address = std::move(address);
}

template <typename Stream>
void HttpSession<Stream>::run() {
    beast::get_lowest_layer(stream_).expires_after(context_->options.request_timeout);
    if constexpr (is_tls_stream<Stream>) {
        // Peek at the first bytes: a TLS ClientHello is answered with the handshake, plain
        // HTTP with a short refusal that tells the reader which scheme to use.
        beast::async_detect_ssl(
            stream_.next_layer(), buffer_,
            [self = this->shared_from_this()](beast::error_code ec, bool speaks_tls) {
                self->on_detected(ec, speaks_tls);
            });
    } else {
        read_next();
    }
}

template <typename Stream>
void HttpSession<Stream>::on_detected(beast::error_code ec, bool speaks_tls) {
    if constexpr (is_tls_stream<Stream>) {
        if (ec || context_->stopped) return close();
        if (!speaks_tls) return refuse_plain_http();
        stream_.async_handshake(
            boost::asio::ssl::stream_base::server, buffer_.data(),
            [self = this->shared_from_this()](beast::error_code error, std::size_t used) {
                self->on_handshake(error, used);
            });
    }
}

template <typename Stream>
void HttpSession<Stream>::refuse_plain_http() {
    if constexpr (is_tls_stream<Stream>) {
        spdlog::info("panel: plain HTTP from {} on the HTTPS port, refused", client_.address);
        boost::asio::async_write(
            stream_.next_layer(),
            boost::asio::buffer(plain_http_refusal.data(), plain_http_refusal.size()),
            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) return self->close();
                self->drain_then_close();
            });
    }
}

// Closing with the client's request still unread would send a reset, which can destroy the
// refusal before the client reads it: say we are done, read until the client is, then close.
template <typename Stream>
void HttpSession<Stream>::drain_then_close() {
    if constexpr (is_tls_stream<Stream>) {
        auto& tcp = stream_.next_layer();
        beast::error_code ignored;
        tcp.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
        buffer_.clear();
        tcp.async_read_some(buffer_.prepare(1024),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                                if (ec || self->context_->stopped) return self->close();
                                self->drain_then_close();
                            });
    }
}

template <typename Stream>
void HttpSession<Stream>::on_handshake(beast::error_code ec, std::size_t used) {
    if (ec || context_->stopped) return close();
    buffer_.consume(used);
    progressed();
    read_next();
}

template <typename Stream>
WaitingConnection HttpSession<Stream>::waiting() const {
    return {client_.address, last_progress_, trusted_};
}

template <typename Stream>
void HttpSession<Stream>::close() {
    slot_.reset();
    if (handed_over_) return;  // the stream now belongs to a WsSession
    auto& socket = beast::get_lowest_layer(stream_).socket();
    beast::error_code ec;
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).close();
}

template <typename Stream>
void HttpSession<Stream>::read_next() {
    parser_.emplace();
    parser_->header_limit(header_limit);
    parser_->body_limit(context_->options.max_body);
    beast::get_lowest_layer(stream_).expires_after(context_->options.request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                         self->on_read(ec);
                     });
}

template <typename Stream>
void HttpSession<Stream>::on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == boost::asio::error::operation_aborted || context_->stopped || !slot_) {
        return close();
    }
    if (ec) {
        // Answer malformed or oversized requests with a reason, then drop the connection:
        // the rest of the stream cannot be trusted to be in step.
        Request request;
        request.version(11);
        request.keep_alive(false);
        target_ = "a malformed request";
        const bool too_big = ec == http::error::body_limit || ec == http::error::header_limit ||
                             ec == http::error::buffer_overflow;
        auto status = too_big ? http::status::payload_too_large : http::status::bad_request;
        auto response = error_response(request, status, "malformed request: " + ec.message());
        response.keep_alive(false);
        return write(std::move(response));
    }
    progressed();
    auto request = parser_->release();
    target_ = std::string(request.method_string()) + " " +
              std::string(std::string_view(request_path(request)).substr(0, 120));
    const auto host = request[http::field::host];
    if (!context_->hosts.allows(host)) {
        auto reason = host.empty() ? std::string("a Host header is required")
                                   : "unknown host '" + loggable_host(host) +
                                         "': add it to panel.allowed_hosts";
        auto response = error_response(request, http::status::misdirected_request, reason);
        response.keep_alive(false);
        return write(std::move(response));
    }
    auto token = session_token(request);
    if (token && context_->sessions.find(*token, Clock::now())) trusted_ = true;
    if (beast::websocket::is_upgrade(request)) return upgrade(std::move(request));
    dispatch(std::move(request));
}

template <typename Stream>
void HttpSession<Stream>::dispatch(Request request) {
    const auto path = request_path(request);
    auto respond = [self = this->shared_from_this()](Response response) {
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

template <typename Stream>
void HttpSession<Stream>::upgrade(Request request) {
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
    beast::get_lowest_layer(stream_).expires_never();
    auto ws = std::make_shared<WsSession<Stream>>(std::move(stream_), context_, std::move(*slot_));
    slot_.reset();
    handed_over_ = true;
    ws->run(std::move(request));
}

template <typename Stream>
void HttpSession<Stream>::write(Response response) {
    if (context_->stopped || !slot_) return;
    if (response.result_int() >= 400) {
        // The refusal's reason is its JSON body; folded per client and status.
        const auto status = std::to_string(response.result_int());
        context_->log.note(spdlog::level::info, client_.address, status,
                           "panel: " + target_ + " from " + client_.address + " -> " + status +
                               ": " + response.body().substr(0, 200));
    }
    pending_ = std::make_shared<Response>(std::move(response));
    const bool close_after = pending_->need_eof();
    beast::get_lowest_layer(stream_).expires_after(write_limit);
    http::async_write(stream_, *pending_,
                      [self = this->shared_from_this(), close_after](
                          beast::error_code ec, std::size_t) { self->on_write(ec, close_after); });
}

template <typename Stream>
void HttpSession<Stream>::on_write(beast::error_code ec, bool close_after) {
    pending_.reset();
    if (ec || close_after || context_->stopped || !slot_) return close();
    progressed();
    read_next();
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

}  // namespace haven::panel
