// A small HTTP/1.1 load generator: keep-alive connections over poll(), closed or open loop.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace dd::bench {

struct HttpLoadOptions
{
    std::string host = "127.0.0.1";
    int port = 0;
    std::string method = "POST";
    std::string path = "/";
    std::function<std::string(int index)> body;   ///< JSON per request
    int connections = 32;
    int requests = 10000;
    double rate = 0;                              ///< requests/s; 0 = as fast as answers come (closed loop)
    /// Called with each response (index, status, body) on the load thread.
    std::function<void(int, int, const std::string &)> onResponse;
};

struct HttpLoadResult
{
    double seconds = 0;
    int completed = 0;
    int errors = 0;                               ///< connection failures and non-2xx answers
    std::map<int, int> statuses;
    std::vector<double> latenciesUs;              ///< from the scheduled start (no coordinated omission)
    std::vector<double> sentAt;                   ///< per request index, seconds (nowSeconds clock)
    double rate() const { return seconds > 0 ? completed / seconds : 0; }
};

HttpLoadResult runHttpLoad(const HttpLoadOptions &options);

} // namespace dd::bench
