#pragma once
// State shared by the listener and every connection of one PanelServer. Internal header.
// Connections keep it alive with a shared_ptr so a late reply never touches freed memory.
// Loop thread only.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <vector>

#include "access.hpp"
#include "panel_server.hpp"

namespace haven::panel {

class WsSession;
class HttpSession;

struct ServerContext {
    ServerContext(boost::asio::io_context& io_, PanelOptions options_, PanelHooks hooks_)
        : io(io_), acceptor(io_), options(std::move(options_)), hooks(std::move(hooks_)) {}

    boost::asio::io_context& io;
    boost::asio::ip::tcp::acceptor acceptor;
    PanelOptions options;
    PanelHooks hooks;
    SessionStore sessions;
    PinThrottle throttle;
    bool stopped = false;
    std::size_t open_connections = 0;
    std::vector<std::weak_ptr<HttpSession>> http_sessions;
    std::vector<std::weak_ptr<WsSession>> ws_sessions;

    // Sends one text frame to every unlocked WebSocket client.
    void broadcast(const std::string& text);
    void close_all();
};

// Holds one of the max_connections slots for as long as a connection lives; moves with the
// socket from the HTTP session to the WebSocket session on upgrade.
class ConnectionSlot {
  public:
    explicit ConnectionSlot(std::shared_ptr<ServerContext> context) : context_(std::move(context)) {
        ++context_->open_connections;
    }
    ConnectionSlot(ConnectionSlot&& other) noexcept = default;
    ConnectionSlot& operator=(ConnectionSlot&&) = delete;
    ~ConnectionSlot() {
        if (context_) --context_->open_connections;
    }

  private:
    std::shared_ptr<ServerContext> context_;
};

}  // namespace haven::panel
