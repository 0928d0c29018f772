#include "panel_probe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <stdexcept>

#include "run_command.hpp"

namespace haven::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

ssl::context client_tls(const std::filesystem::path& trusted_cert) {
    ssl::context context(ssl::context::tls_client);
    context.load_verify_file(trusted_cert.string());
    context.set_verify_mode(ssl::verify_peer);
    return context;
}

tcp::endpoint loopback(int port) {
    return {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)};
}

// One request's exchange, kept alive until the io_context has run.
struct Exchange {
    http::request<http::string_body> request;
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    PanelProbeReply reply;

    // Starts writing the request and reading the answer on a ready stream.
    template <typename Stream>
    void start(Stream& stream) {
        http::async_write(stream, request, [this, &stream](beast::error_code ec, std::size_t) {
            if (ec) return;
            http::async_read(stream, buffer, response,
                             [this](beast::error_code read_ec, std::size_t) {
                                 if (read_ec) return;
                                 reply.status = response.result_int();
                                 reply.body = response.body();
                                 if (auto cookie = response.find(http::field::set_cookie);
                                     cookie != response.end())
                                     reply.set_cookie = std::string(cookie->value());
                             });
        });
    }
};

}  // namespace

PanelProbeReply panel_request(const PanelEndpoint& panel, const std::string& method,
                              const std::string& target, const std::string& body,
                              const std::map<std::string, std::string>& headers,
                              std::chrono::milliseconds deadline) {
    asio::io_context io;
    Exchange exchange;
    auto& request = exchange.request;
    request = {http::string_to_verb(method), target, 11};
    request.set(http::field::host, panel.host());
    request.set(http::field::origin, panel.origin());
    request.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers)
        request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    request.keep_alive(false);
    beast::tcp_stream connection(io);
    beast::error_code ec;
    connection.socket().connect(loopback(panel.port), ec);
    if (ec) return {};
    connection.expires_after(deadline);
    if (!panel.trusted_cert) {
        exchange.start(connection);
        io.run_for(deadline);
        return exchange.reply;
    }
    auto context = client_tls(*panel.trusted_cert);
    beast::ssl_stream<beast::tcp_stream> stream(std::move(connection), context);
    stream.async_handshake(ssl::stream_base::client, [&](beast::error_code handshake_ec) {
        if (!handshake_ec) exchange.start(stream);
    });
    io.run_for(deadline);
    return exchange.reply;
}

struct PanelSocket::Impl {
    asio::io_context io;
    std::optional<ssl::context> tls;
    std::optional<beast::websocket::stream<beast::tcp_stream>> plain;
    std::optional<beast::websocket::stream<beast::ssl_stream<beast::tcp_stream>>> secure;
};

namespace {

template <typename Ws>
void upgrade(Ws& ws, const PanelEndpoint& panel, const std::string& cookie) {
    ws.set_option(beast::websocket::stream_base::decorator([&](beast::websocket::request_type& r) {
        r.set(http::field::origin, panel.origin());
        r.set(http::field::cookie, cookie);
    }));
    beast::websocket::response_type response;
    beast::error_code ec;
    ws.handshake(response, panel.host(), "/ws", ec);
    if (ec)
        throw std::runtime_error("WebSocket upgrade refused (HTTP " +
                                 std::to_string(response.result_int()) + "): " + ec.message());
}

}  // namespace

PanelSocket::PanelSocket(const PanelEndpoint& panel, const std::string& cookie)
    : impl_(std::make_unique<Impl>()) {
    if (!panel.trusted_cert) {
        auto& ws = impl_->plain.emplace(impl_->io);
        beast::get_lowest_layer(ws).connect(loopback(panel.port));
        upgrade(ws, panel, cookie);
        return;
    }
    impl_->tls.emplace(client_tls(*panel.trusted_cert));
    auto& ws = impl_->secure.emplace(impl_->io, *impl_->tls);
    beast::get_lowest_layer(ws).connect(loopback(panel.port));
    ws.next_layer().handshake(ssl::stream_base::client);
    upgrade(ws, panel, cookie);
}

PanelSocket::~PanelSocket() {
    if (impl_->plain) beast::get_lowest_layer(*impl_->plain).close();
    if (impl_->secure) beast::get_lowest_layer(*impl_->secure).close();
}

std::optional<std::string> PanelSocket::read(std::chrono::milliseconds deadline) {
    beast::flat_buffer buffer;
    std::optional<std::string> message;
    auto on_read = [&](beast::error_code ec, std::size_t) {
        if (!ec) message = beast::buffers_to_string(buffer.data());
    };
    if (impl_->plain) impl_->plain->async_read(buffer, on_read);
    if (impl_->secure) impl_->secure->async_read(buffer, on_read);
    impl_->io.restart();
    impl_->io.run_for(deadline);
    return message;
}

int open_stalled_connection(int port, const std::string& source, const std::string& bytes) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot connect from " + source);
    }
    if (!bytes.empty()) ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    return fd;
}

bool closed_by_server(int fd) {
    pollfd watched{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&watched, 1, 0) <= 0) return false;
    char byte = 0;
    return ::recv(fd, &byte, 1, MSG_DONTWAIT) <= 0;
}

void make_self_signed_cert(const std::filesystem::path& dir) {
    auto result = run_command({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                               "1", "-subj", "/CN=localhost", "-addext",
                               "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout",
                               (dir / "panel.key").string(), "-out", (dir / "panel.crt").string()});
    if (result.exit_code != 0) throw std::runtime_error("openssl req failed: " + result.err);
}

}  // namespace haven::test
