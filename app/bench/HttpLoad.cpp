// HttpLoad: non-blocking sockets, one request in flight per connection, Content-Length framing.
#include "HttpLoad.h"

#include "BenchReport.h"

#include <arpa/inet.h>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace dd::bench {

namespace {
struct Connection
{
    int fd = -1;
    int index = -1;        ///< request in flight, -1 when idle
    std::string out;
    std::size_t written = 0;
    std::string in;
    double scheduled = 0;
};

int connectTo(const std::string &host, int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(std::uint16_t(port));
    ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/// A complete response in `in`? Returns its total length and status, or 0.
std::size_t responseLength(const std::string &in, int &status, std::string &body)
{
    const auto headerEnd = in.find("\r\n\r\n");
    if (headerEnd == std::string::npos)
        return 0;
    status = std::atoi(in.c_str() + 9);
    std::size_t contentLength = 0;
    std::size_t pos = 0;
    while ((pos = in.find('\n', pos)) != std::string::npos && pos < headerEnd) {
        ++pos;
        if (strncasecmp(in.c_str() + pos, "content-length:", 15) == 0)
            contentLength = std::size_t(std::atol(in.c_str() + pos + 15));
    }
    const std::size_t total = headerEnd + 4 + contentLength;
    if (in.size() < total)
        return 0;
    body.assign(in, headerEnd + 4, contentLength);
    return total;
}
/// Waits up to `seconds` with microsecond precision. Paced load needs sub-millisecond
/// waits (5,000 requests/s is one every 200 µs): epoll_wait's milliseconds would round
/// them to 0 and spin a core the server under test needs.
int waitForEvents(int epoll, std::vector<epoll_event> &events, double seconds)
{
    static bool precise = true; // false on kernels < 5.11 (ENOSYS) or under seccomp that refuses it (EPERM)
    seconds = std::max(0.0, seconds);
    if (precise) {
        const timespec timeout{time_t(seconds), long((seconds - double(time_t(seconds))) * 1e9)};
        const int ready = ::epoll_pwait2(epoll, events.data(), int(events.size()), &timeout, nullptr);
        if (ready >= 0 || (errno != ENOSYS && errno != EPERM))
            return ready;
        precise = false;
    }
    return ::epoll_wait(epoll, events.data(), int(events.size()), int(std::ceil(seconds * 1000)));
}
} // namespace

HttpLoadResult runHttpLoad(const HttpLoadOptions &options)
{
    // epoll, not poll(): the generator must cost far less than what it measures.
    HttpLoadResult result;
    result.sentAt.assign(std::size_t(options.requests), 0);
    result.latenciesUs.reserve(std::size_t(options.requests));
    std::vector<Connection> connections(std::size_t(options.connections));
    const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
    auto watch = [&](std::size_t i, std::uint32_t events, int op) {
        epoll_event event{};
        event.events = events;
        event.data.u64 = i;
        ::epoll_ctl(epoll, op, connections[i].fd, &event);
    };
    std::vector<std::size_t> idle;
    for (std::size_t i = 0; i < connections.size(); ++i) {
        connections[i].fd = connectTo(options.host, options.port);
        if (connections[i].fd < 0) {
            result.errors = options.requests;
            ::close(epoll);
            return result;
        }
        watch(i, 0, EPOLL_CTL_ADD);
        idle.push_back(i);
    }
    const double start = nowSeconds();
    int next = 0;
    auto startRequest = [&](std::size_t i, double now) {
        Connection &c = connections[i];
        const double due = options.rate > 0 ? start + next / options.rate : now;
        if (due > now)
            return false;
        c.index = next++;
        c.scheduled = due;
        result.sentAt[std::size_t(c.index)] = now;
        const std::string body = options.body ? options.body(c.index) : std::string();
        c.out = options.method + " " + options.path + " HTTP/1.1\r\nHost: " + options.host
            + "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n"
            + body;
        c.written = 0;
        const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n > 0)
            c.written = std::size_t(n);
        watch(i, c.written < c.out.size() ? EPOLLOUT | EPOLLIN : EPOLLIN, EPOLL_CTL_MOD);
        return true;
    };
    std::vector<epoll_event> events(connections.size());
    while (result.completed + result.errors < options.requests) {
        double now = nowSeconds();
        double wait = 0.05;
        while (!idle.empty() && next < options.requests) {
            if (!startRequest(idle.back(), now)) {
                wait = std::min(wait, start + next / options.rate - now);
                break;
            }
            idle.pop_back();
        }
        const int ready = waitForEvents(epoll, events, wait);
        for (int e = 0; e < ready; ++e) {
            const std::size_t i = std::size_t(events[std::size_t(e)].data.u64);
            Connection &c = connections[i];
            if (c.index < 0)
                continue;
            if ((events[std::size_t(e)].events & EPOLLOUT) && c.written < c.out.size()) {
                const ssize_t n = ::send(c.fd, c.out.data() + c.written, c.out.size() - c.written, MSG_NOSIGNAL);
                if (n > 0)
                    c.written += std::size_t(n);
                if (c.written == c.out.size())
                    watch(i, EPOLLIN, EPOLL_CTL_MOD);
            }
            if (!(events[std::size_t(e)].events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
                continue;
            char buffer[16384];
            const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
            if (n <= 0 && errno != EAGAIN) {
                ++result.errors;
                ::epoll_ctl(epoll, EPOLL_CTL_DEL, c.fd, nullptr);
                ::close(c.fd);
                c.fd = connectTo(options.host, options.port);
                c.index = -1;
                c.in.clear();
                if (c.fd >= 0) {
                    watch(i, 0, EPOLL_CTL_ADD);
                    idle.push_back(i);
                }
                continue;
            }
            if (n > 0)
                c.in.append(buffer, std::size_t(n));
            int status = 0;
            std::string body;
            if (const std::size_t length = responseLength(c.in, status, body)) {
                c.in.erase(0, length);
                ++result.statuses[status];
                if (status >= 200 && status < 300) {
                    ++result.completed;
                    result.latenciesUs.push_back((nowSeconds() - c.scheduled) * 1e6);
                } else {
                    ++result.errors;
                }
                if (options.onResponse)
                    options.onResponse(c.index, status, body);
                c.index = -1;
                watch(i, 0, EPOLL_CTL_MOD);
                idle.push_back(i);
            }
        }
    }
    result.seconds = nowSeconds() - start;
    for (auto &c : connections)
        if (c.fd >= 0)
            ::close(c.fd);
    ::close(epoll);
    return result;
}

} // namespace dd::bench
