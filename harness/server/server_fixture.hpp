// The delay server as a fixture: `concbench serve` started as its own process on a free
// loopback port, stopped when the fixture goes away (also on errors). It dies with the
// harness (PR_SET_PDEATHSIG) and, sharing its process group, with a Ctrl-C.
#pragma once

#include <sys/types.h>

#include <string>

namespace concbench {

class ServerFixture {
  public:
    /// Starts `exe serve --port 0 --threads N [--fault FAULTS]` (suite/spawn) and waits for
    /// its handshake (listening_line.hpp). Throws std::runtime_error with the server's own message
    /// if it does not come up.
    ServerFixture(const std::string& exe, int threads, const std::string& faults = {});
    ~ServerFixture();
    ServerFixture(const ServerFixture&) = delete;
    ServerFixture& operator=(const ServerFixture&) = delete;

    /// "127.0.0.1:PORT".
    const std::string& address() const { return address_; }
    pid_t pid() const { return pid_; }

  private:
    pid_t pid_ = -1;
    std::string address_;
};

}  // namespace concbench
