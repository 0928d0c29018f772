#pragma once
// One browser connection: reads requests (bounded), answers them in order, and hands the
// socket to a WsSession on an unlocked WebSocket upgrade. Internal header; loop thread only.

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <optional>

#include "http_types.hpp"
#include "server_context.hpp"

namespace haven::panel {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerContext> context);
    void run();
    void close();

  private:
    void read_next();
    void on_read(beast::error_code ec);
    void dispatch(Request request);
    void upgrade(Request request);
    void write(Response response);
    void on_write(beast::error_code ec, bool close_after);

    beast::tcp_stream stream_;
    std::shared_ptr<ServerContext> context_;
    std::optional<ConnectionSlot> slot_;
    Client client_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<Response> pending_;
};

}  // namespace haven::panel
