#pragma once
// The two streams a panel connection can read: plain TCP, or TLS over it when panel.tls is
// set. HttpSession and WsSession are templates over these, so both transports share one code
// path; only the handshake differs (see HttpSession::run). Internal header.

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <type_traits>

namespace haven::panel {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

template <typename Stream>
inline constexpr bool is_tls_stream = std::is_same_v<Stream, TlsStream>;

}  // namespace haven::panel
