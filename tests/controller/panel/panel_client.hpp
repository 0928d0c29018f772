#pragma once
// A small blocking HTTP/WebSocket client for the panel tests. Each call has its own
// io_context and a deadline, so a server that never answers fails the test instead of
// hanging it.

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace haven::panel::testing {

struct HttpReply {
    unsigned status = 0;  // 0: the connection was closed without an answer
    std::string body;
    std::map<std::string, std::string> headers;
};

struct HttpCall {
    std::string method = "GET";
    std::string target = "/";
    std::string body;
    std::map<std::string, std::string> headers;  // e.g. Origin, Cookie
    // The local address to send from, e.g. "127.3.2.1" (Linux routes all of 127.0.0.0/8 to
    // lo), so one test can act as many clients; empty: the kernel picks.
    std::string source;
};

HttpReply http_call(std::uint16_t port, const HttpCall& call,
                    std::chrono::milliseconds deadline = std::chrono::seconds(5));

// Raw bytes in, raw bytes out (until the server closes or the deadline passes).
std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds deadline = std::chrono::seconds(5));

class WsClient {
  public:
    // Upgrades /ws with these headers; throws on refusal (the message says the status).
    WsClient(std::uint16_t port, const std::map<std::string, std::string>& headers);
    ~WsClient();
    // The next text message, or nullopt when none arrives before the deadline.
    std::optional<std::string> read(std::chrono::milliseconds deadline = std::chrono::seconds(5));

  private:
    boost::asio::io_context io_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
};

}  // namespace haven::panel::testing
