#pragma once
// State shared by the listener and every connection of one PanelServer. Internal header.
// Connections keep it alive with a shared_ptr so a late reply never touches freed memory.
// Loop thread only.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "access.hpp"
#include "admission.hpp"
#include "folded_log.hpp"
#include "host_check.hpp"
#include "panel_server.hpp"

namespace haven::panel {

// An HTTP connection as the admission rules see it, whatever stream (plain or TLS) it reads.
class HttpConnection {
  public:
    virtual ~HttpConnection() = default;
    virtual WaitingConnection waiting() const = 0;
    // False once closed or handed to a WebSocket: then it is no longer the admission's concern.
    virtual bool holds_slot() const = 0;
    // Closes the socket and gives its slot back at once (not when the last handler ends).
    virtual void close() = 0;
};

// An unlocked WebSocket client, whatever its stream.
class PushClient {
  public:
    virtual ~PushClient() = default;
    virtual void send(std::shared_ptr<const std::string> text) = 0;
    virtual void close() = 0;
};

struct ServerContext {
    ServerContext(boost::asio::io_context& io_, PanelOptions options_, PanelHooks hooks_)
        : io(io_),
          acceptor(io_),
          options(std::move(options_)),
          hooks(std::move(hooks_)),
          hosts(options.allowed_hosts, options.address),
          log(io_) {}

    boost::asio::io_context& io;
    boost::asio::ip::tcp::acceptor acceptor;
    PanelOptions options;
    PanelHooks hooks;
    HostPolicy hosts;
    FoldedLog log;  // lines a client can cause at will
    // Set when options.tls is: every connection then starts with a TLS handshake.
    std::optional<boost::asio::ssl::context> tls;
    SessionStore sessions;
    PinThrottle throttle;
    bool stopped = false;
    std::size_t open_connections = 0;
    std::vector<std::weak_ptr<HttpConnection>> http_sessions;
    std::vector<std::weak_ptr<PushClient>> ws_sessions;

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
