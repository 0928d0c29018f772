#pragma once
// Beast message types the panel uses everywhere. Internal header.

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <string>

namespace haven::panel {

namespace beast = boost::beast;
namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
// Called exactly once with the answer to a request, possibly later (command replies).
using Respond = std::function<void(Response)>;

// What the route handlers know about the client.
struct Client {
    std::string address;  // remote IP, for the PIN back-off and logs
};

}  // namespace haven::panel
