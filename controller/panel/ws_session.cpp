#include "ws_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/websocket/ssl.hpp>
#include <nlohmann/json.hpp>

#include "json_text.hpp"

namespace haven::panel {

namespace websocket = beast::websocket;

template <typename Stream>
WsSession<Stream>::WsSession(Stream stream, std::shared_ptr<ServerContext> context,
                             ConnectionSlot slot)
    : ws_(std::move(stream)), context_(std::move(context)), slot_(std::move(slot)) {}

template <typename Stream>
void WsSession<Stream>::run(Request upgrade_request) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(4096);  // clients only send pings and closes
    ws_.async_accept(upgrade_request, [self = this->shared_from_this()](beast::error_code ec) {
        self->on_accept(ec);
    });
}

template <typename Stream>
void WsSession<Stream>::on_accept(beast::error_code ec) {
    if (ec || context_->stopped) return;
    open_ = true;
    context_->ws_sessions.push_back(this->weak_from_this());
    // The page renders at once instead of waiting for the next change.
    if (context_->hooks.state) {
        try {
            nlohmann::json message{{"type", "state"}, {"state", context_->hooks.state()}};
            send(std::make_shared<const std::string>(json_text(message)));
        } catch (const std::exception& e) {
            spdlog::error("panel: state hook failed: {}", e.what());
        }
    }
    read_next();
}

template <typename Stream>
void WsSession<Stream>::read_next() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) {
            self->open_ = false;
            return;
        }
        self->buffer_.consume(self->buffer_.size());
        self->read_next();
    });
}

template <typename Stream>
void WsSession<Stream>::send(std::shared_ptr<const std::string> text) {
    if (!open_) return;
    if (queue_.size() >= max_queued) {
        spdlog::warn("panel: dropping a WebSocket client that stopped reading");
        return close();
    }
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) write_next();
}

template <typename Stream>
void WsSession<Stream>::write_next() {
    ws_.text(true);
    ws_.async_write(boost::asio::buffer(*queue_.front()),
                    [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) {
                            self->open_ = false;
                            self->queue_.clear();
                            return;
                        }
                        self->queue_.pop_front();
                        if (!self->queue_.empty() && self->open_) self->write_next();
                    });
}

template <typename Stream>
void WsSession<Stream>::close() {
    open_ = false;
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(ws_).close();
}

template class WsSession<PlainStream>;
template class WsSession<TlsStream>;

}  // namespace haven::panel
