// The Io of the async backends: operations suspend the coroutine and resume it from a
// Boost.Asio completion handler, on whichever thread runs the io_context. Its network
// operations are an AsioNet's on the same io_context.
#pragma once

#include <boost/asio/io_context.hpp>

#include "asio_files.hpp"
#include "asio_net.hpp"
#include "io.hpp"
#include "offloader.hpp"

namespace concbench {

class AsioIo final : public Io {
  public:
    /// `offloader` null: offloaded work runs inline on the loop thread (and blocks it).
    AsioIo(boost::asio::io_context& ctx, Offloader* offloader)
        : ctx_(ctx), offloader_(offloader), net_(ctx), files_(ctx) {}

    Net& net() noexcept override { return net_; }
    Files& files() noexcept override { return files_; }

  protected:
    bool suspend_sleep(Duration d, std::coroutine_handle<> h) override;
    bool suspend_sleep_stoppable(Duration d, std::stop_token stop, bool& stopped,
                                 std::coroutine_handle<> h) override;
    bool suspend_yield(std::coroutine_handle<> h) override;
    bool suspend_offload(Job job, std::coroutine_handle<> h) override;
    bool suspend_join(std::span<Task<void>> children, std::coroutine_handle<> h) override;
    bool suspend_wait(Event& event, Event::Waiter& w, std::coroutine_handle<> h) override;

  private:
    boost::asio::io_context& ctx_;
    Offloader* offloader_;
    AsioNet net_;
    AsioFiles files_;
};

}  // namespace concbench
