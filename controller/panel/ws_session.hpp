#pragma once
// One unlocked WebSocket client: receives state and events pushed by the room, sends nothing
// the server acts on. A client too slow to keep up is dropped rather than buffered without
// bound. A template over the stream (ws:// or wss://), instantiated for both in
// ws_session.cpp. Internal header; loop thread only.

#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>
#include <string>

#include "http_types.hpp"
#include "panel_stream.hpp"
#include "server_context.hpp"

namespace haven::panel {

template <typename Stream>
class WsSession : public PushClient, public std::enable_shared_from_this<WsSession<Stream>> {
  public:
    static constexpr std::size_t max_queued = 64;

    WsSession(Stream stream, std::shared_ptr<ServerContext> context, ConnectionSlot slot);
    void run(Request upgrade_request);
    void send(std::shared_ptr<const std::string> text) override;
    void close() override;

  private:
    void on_accept(beast::error_code ec);
    void read_next();
    void write_next();

    beast::websocket::stream<Stream> ws_;
    std::shared_ptr<ServerContext> context_;
    ConnectionSlot slot_;
    beast::flat_buffer buffer_;
    std::deque<std::shared_ptr<const std::string>> queue_;
    bool open_ = false;
};

extern template class WsSession<PlainStream>;
extern template class WsSession<TlsStream>;

}  // namespace haven::panel
