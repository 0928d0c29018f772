#include "panel_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <stdexcept>

namespace haven::panel::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

tcp::endpoint loopback(std::uint16_t port) {
    return {asio::ip::make_address("127.0.0.1"), port};
}

}  // namespace

HttpReply http_call(std::uint16_t port, const HttpCall& call, std::chrono::milliseconds deadline) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    if (!call.source.empty()) {
        stream.socket().open(tcp::v4());
        stream.socket().bind({asio::ip::make_address(call.source), 0});
    }
    stream.connect(loopback(port));
    http::request<http::string_body> request{http::string_to_verb(call.method), call.target, 11};
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [name, value] : call.headers)
        request.set(name, value);
    request.body() = call.body;
    request.prepare_payload();
    request.keep_alive(false);

    HttpReply reply;
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    stream.expires_after(deadline);
    http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
        if (ec) return;
        http::async_read(stream, buffer, parser, [&](beast::error_code read_ec, std::size_t) {
            if (read_ec) return;
            auto& response = parser.get();
            reply.status = response.result_int();
            reply.body = response.body();
            for (const auto& field : response) {
                reply.headers[std::string(field.name_string())] = std::string(field.value());
            }
        });
    });
    io.run();
    return reply;
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds deadline) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(loopback(port));
    std::string received;
    std::array<char, 4096> chunk{};
    std::function<void()> read_more = [&] {
        stream.expires_after(deadline);
        stream.async_read_some(asio::buffer(chunk), [&](beast::error_code ec, std::size_t n) {
            received.append(chunk.data(), n);
            if (!ec) read_more();
        });
    };
    stream.expires_after(deadline);
    asio::async_write(stream, asio::buffer(bytes), [&](beast::error_code, std::size_t) {
        // Read even after a failed write: the server may answer and close mid-upload.
        read_more();
    });
    io.run();
    return received;
}

WsClient::WsClient(std::uint16_t port, const std::map<std::string, std::string>& headers)
    : ws_(io_) {
    beast::get_lowest_layer(ws_).connect(loopback(port));
    beast::websocket::response_type response;
    beast::error_code ec;
    ws_.set_option(beast::websocket::stream_base::decorator([&](beast::websocket::request_type& r) {
        for (const auto& [name, value] : headers)
            r.set(name, value);
    }));
    ws_.handshake(response, "127.0.0.1:" + std::to_string(port), "/ws", ec);
    if (ec) {
        throw std::runtime_error("upgrade refused with HTTP " +
                                 std::to_string(response.result_int()));
    }
}

WsClient::~WsClient() {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).close();
}

std::optional<std::string> WsClient::read(std::chrono::milliseconds deadline) {
    beast::flat_buffer buffer;
    std::optional<std::string> message;
    ws_.async_read(buffer, [&](beast::error_code ec, std::size_t) {
        if (!ec) message = beast::buffers_to_string(buffer.data());
    });
    io_.restart();
    io_.run_for(deadline);
    if (!message) {
        // Abandon the pending read; this client is not usable afterwards.
        beast::get_lowest_layer(ws_).close();
        io_.restart();
        io_.run_for(std::chrono::milliseconds(100));
    }
    return message;
}

}  // namespace haven::panel::testing
