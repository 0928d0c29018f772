#pragma once
// One unlocked WebSocket client: receives state and events pushed by the room, sends nothing
// the server acts on. A client too slow to keep up is dropped rather than buffered without
// bound. Internal header; loop thread only.

#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>
#include <string>

#include "http_types.hpp"
#include "server_context.hpp"

namespace haven::panel {

class WsSession : public std::enable_shared_from_this<WsSession> {
  public:
    static constexpr std::size_t max_queued = 64;

    WsSession(beast::tcp_stream stream, std::shared_ptr<ServerContext> context,
              ConnectionSlot slot);
    void run(Request upgrade_request);
    void send(std::shared_ptr<const std::string> text);
    void close();

  private:
    void on_accept(beast::error_code ec);
    void read_next();
    void write_next();

    beast::websocket::stream<beast::tcp_stream> ws_;
    std::shared_ptr<ServerContext> context_;
    ConnectionSlot slot_;
    beast::flat_buffer buffer_;
    std::deque<std::shared_ptr<const std::string>> queue_;
    bool open_ = false;
};

}  // namespace haven::panel
