// offload=pool: an Asio thread pool of one thread per core.
#pragma once

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "offloader.hpp"

namespace concbench {

class PoolOffloader final : public Offloader {
  public:
    explicit PoolOffloader(std::size_t threads) : threads_(threads), pool_(threads) {}
    /// thread_pool's destructor joins its threads once their work has run.
    ~PoolOffloader() override = default;

    void submit(std::function<void()> work) override {
        boost::asio::post(pool_, std::move(work));
    }
    std::size_t threads() const override { return threads_; }

  private:
    std::size_t threads_;
    boost::asio::thread_pool pool_;
};

}  // namespace concbench
