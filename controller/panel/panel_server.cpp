#include "panel_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <nlohmann/json.hpp>
#include <system_error>

#include "http_session.hpp"
#include "json_text.hpp"
#include "server_context.hpp"
#include "ws_session.hpp"

namespace haven::panel {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

void ServerContext::broadcast(const std::string& text) {
    auto shared = std::make_shared<const std::string>(text);
    std::erase_if(ws_sessions, [](const auto& weak) { return weak.expired(); });
    // Copy: a send may close a slow client, which must not disturb this loop.
    auto receivers = ws_sessions;
    for (auto& weak : receivers) {
        if (auto session = weak.lock()) session->send(shared);
    }
}

void ServerContext::close_all() {
    for (auto& weak : std::vector(http_sessions)) {
        if (auto session = weak.lock()) session->close();
    }
    for (auto& weak : std::vector(ws_sessions)) {
        if (auto session = weak.lock()) session->close();
    }
    http_sessions.clear();
    ws_sessions.clear();
}

namespace {

std::string remote_address(const tcp::socket& socket) {
    boost::system::error_code ec;
    auto endpoint = socket.remote_endpoint(ec);
    return ec ? std::string("unknown") : endpoint.address().to_string();
}

// Makes room for a newcomer by the rules in admission.hpp; false when it must be refused.
bool make_room(ServerContext& context, const std::string& address) {
    std::erase_if(context.http_sessions, [](const auto& weak) { return weak.expired(); });
    std::vector<std::shared_ptr<HttpConnection>> live;
    std::vector<WaitingConnection> waiting;
    for (const auto& weak : context.http_sessions) {
        if (auto session = weak.lock(); session && session->holds_slot()) {
            waiting.push_back(session->waiting());
            live.push_back(std::move(session));
        }
    }
    const AdmissionLimits limits{context.options.max_connections,
                                 context.options.max_untrusted_per_address};
    auto admission = decide_admission(waiting, context.open_connections, address, limits);
    if (admission.evict) {
        spdlog::info("panel: closing an idle connection from {} to make room for {}",
                     waiting[*admission.evict].address, address);
        live[*admission.evict]->close();
    }
    return admission.admit;
}

template <typename Stream>
void start_session(const std::shared_ptr<ServerContext>& context, Stream stream,
                   std::string address) {
    auto session =
        std::make_shared<HttpSession<Stream>>(std::move(stream), std::move(address), context);
    context->http_sessions.push_back(session);
    session->run();
}

// The accept loop holds the context, not the server, so a completion that arrives after the
// server is gone finds live memory and a closed acceptor.
void admit(const std::shared_ptr<ServerContext>& context, tcp::socket socket) {
    auto address = remote_address(socket);
    if (!make_room(*context, address)) {
        spdlog::warn("panel: refusing a connection from {}, {} already open and none idle", address,
                     context->open_connections);
        boost::system::error_code ignored;
        socket.close(ignored);
        return;
    }
    PlainStream plain(std::move(socket));
    if (context->tls) {
        start_session(context, TlsStream(std::move(plain), *context->tls), std::move(address));
    } else {
        start_session(context, std::move(plain), std::move(address));
    }
}

void accept_next(std::shared_ptr<ServerContext> context) {
    auto& acceptor = context->acceptor;
    acceptor.async_accept(
        [context = std::move(context)](boost::system::error_code ec, tcp::socket socket) mutable {
            if (context->stopped || !context->acceptor.is_open()) return;
            if (!ec) admit(context, std::move(socket));
            accept_next(std::move(context));
        });
}

}  // namespace

struct PanelServer::Impl {
    Impl(asio::io_context& io, PanelOptions options, PanelHooks hooks)
        : context(std::make_shared<ServerContext>(io, std::move(options), std::move(hooks))) {}

    void publish(const char* type, const nlohmann::json& payload) {
        nlohmann::json message{{"type", type}, {type, payload}};
        context->broadcast(json_text(message));
    }

    std::shared_ptr<ServerContext> context;
    std::uint16_t bound_port = 0;
};

PanelServer::PanelServer(asio::io_context& io, PanelOptions options, PanelHooks hooks)
    : impl_(std::make_unique<Impl>(io, std::move(options), std::move(hooks))) {}

PanelServer::~PanelServer() {
    stop();
}

namespace {

// Loads the certificate and key (the config loader has checked they match); throws with
// OpenSSL's reason when they cannot serve.
void load_tls(ServerContext& context, const PanelTls& files) {
    namespace ssl = asio::ssl;
    try {
        auto& tls = context.tls.emplace(ssl::context::tls_server);
        tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                        ssl::context::single_dh_use);
        tls.use_certificate_chain_file(files.cert_file.string());
        tls.use_private_key_file(files.key_file.string(), ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        context.tls.reset();
        throw std::runtime_error("panel TLS certificate " + files.cert_file.string() + ": " +
                                 e.what());
    }
}

}  // namespace

void PanelServer::start() {
    const auto& options = impl_->context->options;
    if (options.tls && !impl_->context->tls) load_tls(*impl_->context, *options.tls);
    boost::system::error_code ec;
    auto address = asio::ip::make_address(options.address, ec);
    if (ec) throw std::system_error(ec, "panel address '" + options.address + "'");
    tcp::endpoint endpoint{address, options.port};
    auto& acceptor = impl_->context->acceptor;
    const auto where = options.address + ":" + std::to_string(options.port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        boost::system::error_code ignored;
        acceptor.close(ignored);
        throw std::system_error(ec, "panel cannot listen on " + where);
    }
    impl_->bound_port = acceptor.local_endpoint().port();
    impl_->context->stopped = false;
    spdlog::info("panel: listening on {}://{}:{}", options.tls ? "https" : "http", options.address,
                 impl_->bound_port);
    accept_next(impl_->context);
}

void PanelServer::stop() {
    if (!impl_) return;
    impl_->context->stopped = true;
    boost::system::error_code ignored;
    impl_->context->acceptor.close(ignored);
    impl_->context->close_all();
    impl_->context->log.flush();
}

std::uint16_t PanelServer::port() const {
    return impl_->bound_port;
}

void PanelServer::publish_state(const nlohmann::json& state) {
    impl_->publish("state", state);
}

void PanelServer::publish_event(const nlohmann::json& event) {
    impl_->publish("event", event);
}

}  // namespace haven::panel
