#pragma once
// One browser connection: reads requests (bounded in size and time), answers them in order,
// and hands the stream to a WsSession on an unlocked WebSocket upgrade. A template over the
// stream (PlainStream or TlsStream), instantiated for both in http_session.cpp.
// Internal header; loop thread only.

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <optional>

#include "http_types.hpp"
#include "panel_stream.hpp"
#include "server_context.hpp"

namespace haven::panel {

template <typename Stream>
class HttpSession : public HttpConnection,
                    public std::enable_shared_from_this<HttpSession<Stream>> {
  public:
    HttpSession(Stream stream, std::string address, std::shared_ptr<ServerContext> context);
    void run();
    WaitingConnection waiting() const override;
    bool holds_slot() const override { return slot_.has_value(); }
    void close() override;

  private:
    void on_detected(beast::error_code ec, bool speaks_tls);
    void refuse_plain_http();
    void drain_then_close();
    void on_handshake(beast::error_code ec, std::size_t used);
    void read_next();
    void on_read(beast::error_code ec);
    void dispatch(Request request);
    void upgrade(Request request);
    void write(Response response);
    void on_write(beast::error_code ec, bool close_after);
    void progressed() { last_progress_ = Clock::now(); }

    Stream stream_;
    std::shared_ptr<ServerContext> context_;
    std::optional<ConnectionSlot> slot_;
    Client client_;
    Clock::time_point last_progress_;
    bool trusted_ = false;
    std::string target_;        // "GET /api/state" of the request being answered, for the log
    bool handed_over_ = false;  // upgraded: stream_ was moved into a WsSession  // has sent a valid
                                // session cookie: never evicted for a newcomer
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<Response> pending_;
};

extern template class HttpSession<PlainStream>;
extern template class HttpSession<TlsStream>;

}  // namespace haven::panel
