// What the mesh fuzzers share: a raw DEALER that sends one request frame and waits for its answer.
#pragma once

#include "FuzzCheck.h"
#include "net/envelope/Envelope.h"
#include "net/transport/ZmqContext.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>

namespace dd::fuzz {

/// Polls `done` until it holds; a stall past `seconds` is a hang of the code under test.
template <typename Done>
void waitFor(Done done, const char *what, int seconds = 8)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) {
            std::fprintf(stderr, "fuzz: no progress in %d s: %s\n", seconds, what);
            std::abort();
        }
        std::this_thread::yield();
    }
}

/// Talks to an RpcServer the way RpcClient does on the wire, without its retries or
/// breakers, so every input reaches the server exactly once.
class RawCaller
{
public:
    explicit RawCaller(const std::string &endpoint)
        : m_socket(net::ZmqContext::instance(), zmq::socket_type::dealer)
    {
        m_socket.set(zmq::sockopt::linger, 0);
        m_socket.connect(endpoint);
    }

    /// Sends one REQUEST and returns its REPLY; every request must be answered (8 s at most).
    void call(const std::string &method, std::string_view payload, net::Envelope &answer, std::string &answerPayload)
    {
        net::Envelope request;
        request.set_kind(dronedelivery::v1::REQUEST);
        request.set_sender_id(0xf022);
        request.set_message_id(++m_messageId);
        request.set_attempt(1);
        request.set_method(method);
        request.set_source("fuzz");
        m_socket.send(net::frame(request, payload), zmq::send_flags::none);
        zmq::pollitem_t item{m_socket.handle(), 0, ZMQ_POLLIN, 0};
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(8);
        for (;;) {
            if (std::chrono::steady_clock::now() > until) {
                std::fprintf(stderr, "fuzz: %s was not answered within 8 s\n", method.c_str());
                std::abort();
            }
            int ready = 0;
            try {
                ready = zmq::poll(&item, 1, std::chrono::milliseconds(100));
            } catch (const zmq::error_t &e) {
                if (e.num() != EINTR) // libFuzzer's timers interrupt the poll: wait again
                    throw;
            }
            if (ready <= 0)
                continue;
            zmq::message_t reply;
            if (!m_socket.recv(reply, zmq::recv_flags::dontwait))
                continue;
            std::string_view body;
            check(net::unframe(reply, answer, body), "a reply that does not unframe");
            if (answer.correlation_id() != m_messageId)
                continue; // a late answer to an earlier request
            check(answer.kind() == dronedelivery::v1::REPLY, "an answer that is no REPLY");
            answerPayload.assign(body);
            return;
        }
    }

private:
    zmq::socket_t m_socket;
    std::uint64_t m_messageId = 0;
};

} // namespace dd::fuzz
