// Every registered workload on every registered backend, at the small size the workload
// declares with smoke(): a new workload or backend is tested by being registered. Then the
// workloads' own behaviour: skynet's uneven trees, http against a server of one's own (path,
// expect), mixed's checked CPU work, file's mechanism and its fallback, bad parameters.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "backend_cases.hpp"
#include "http_support.hpp"
#include "process.hpp"
#include "run_one.hpp"

namespace concbench {
namespace {

namespace fs = std::filesystem;
using testing_support::Background;
using testing_support::TempDir;

struct WorkloadCase {
    std::string workload;
    std::string backend;
};

std::string case_name(const WorkloadCase& c) {
    std::string name = c.workload + "_on_" + c.backend;
    for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return name;
}

std::vector<WorkloadCase> every_workload_on_every_backend() {
    std::vector<WorkloadCase> out;
    for (const WorkloadDef* w : workloads())
        for (const auto& b : default_backend_cases()) out.push_back({w->name(), b.backend});
    return out;
}

/// `workload` on `backend` with `given` (as typed on a command line) over its smoke
/// parameters; every other parameter at its default.
Cell cell_of(const std::string& workload, const std::string& backend,
             const std::map<std::string, std::string>& given = {}) {
    Cell cell;
    cell.backend = find_backend(backend);
    cell.workload = find_workload(workload);
    std::map<std::string, std::string> text = cell.workload->smoke_params();
    for (const auto& [k, v] : given) text[k] = v;
    std::map<std::string, ParamValue> values;
    for (const auto& [name, value] : text) {
        const auto& specs = cell.workload->params();
        const std::string& wanted = name;  // clang cannot capture a structured binding
        const auto spec = std::find_if(specs.begin(), specs.end(),
                                       [&](const ParamSpec& s) { return s.name == wanted; });
        if (spec == specs.end())
            throw std::invalid_argument(workload + " has no parameter " + name);
        values[name] = parse_param_value(*spec, value);
    }
    cell.workload_params = Params(cell.workload->params(), values).values();
    cell.backend_params = Params(cell.backend->params(), {}).values();
    return cell;
}

/// One delay server for the suite, for the workloads that need one.
class Workloads : public testing::TestWithParam<WorkloadCase> {
  protected:
    static void SetUpTestSuite() { server_ = new LocalServer(); }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    static Measurement run(const Cell& cell) {
        CellOptions opts;
        opts.server = server_->address();
        return run_cell(cell, opts);
    }
    static LocalServer* server_;
};
LocalServer* Workloads::server_ = nullptr;

TEST_P(Workloads, ASmokeRunIsValidated) {
    const auto& [workload, backend] = GetParam();
    ASSERT_FALSE(find_workload(workload)->smoke_params().empty())
        << workload << " declares no smoke() parameters";
    const Measurement m = run(cell_of(workload, backend));
    EXPECT_EQ(m.status, Status::ok) << m.error;
    EXPECT_TRUE(m.validated);
    EXPECT_GT(m.ops, 0u);
}

INSTANTIATE_TEST_SUITE_P(Registered, Workloads,
                         testing::ValuesIn(every_workload_on_every_backend()),
                         [](const auto& info) { return case_name(info.param); });

/// Each registered backend at its defaults, by name.
std::vector<std::string> backend_names() {
    std::vector<std::string> out;
    for (const auto& b : default_backend_cases()) out.push_back(b.backend);
    return out;
}

std::string name_of(const testing::TestParamInfo<std::string>& info) {
    std::string name = info.param;
    for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return name;
}

class EachBackendByName : public testing::TestWithParam<std::string> {};

TEST_P(EachBackendByName, SkynetSumsTreesOfAnyShape) {
    for (const auto& [leaves, fanout] : std::vector<std::pair<std::string, std::string>>{
             {"1", "10"}, {"2", "10"}, {"37", "4"}, {"64", "2"}, {"101", "1000"}}) {
        const Measurement m =
            run_cell(cell_of("skynet", GetParam(), {{"leaves", leaves}, {"fanout", fanout}}));
        EXPECT_EQ(m.status, Status::ok) << "leaves=" << leaves << " fanout=" << fanout << ": "
                                        << m.error;
        EXPECT_TRUE(m.validated);
        EXPECT_EQ(m.ops, std::stoull(leaves));
    }
}

TEST_P(EachBackendByName, FileReadsAndWritesAreCheckedAndTheMechanismIsRecorded) {
    for (const char* mode : {"read", "write-fsync"}) {
        for (const char* drop : {"off", "on"}) {
            const Measurement m = run_cell(
                cell_of("file", GetParam(), {{"mode", mode}, {"drop_cache", drop},
                                             {"file_kb", "33"}, {"block_kb", "8"}}));
            EXPECT_EQ(m.status, Status::ok) << mode << ": " << m.error;
            EXPECT_TRUE(m.validated);
            ASSERT_TRUE(m.facts.count("file_io")) << mode;
            const std::string& how = m.facts.at("file_io");
            if (GetParam().starts_with("async"))
                EXPECT_TRUE(how.starts_with("io_uring") || how.starts_with("thread pool")) << how;
            else
                EXPECT_EQ(how, "pread/pwrite");
        }
    }
}

TEST_P(EachBackendByName, MixedChecksItsCpuWorkAtEveryOffloadSize) {
    LocalServer server;
    CellOptions opts;
    opts.server = server.address();
    for (const char* us : {"0", "1", "200"}) {
        const Measurement m = run_cell(cell_of("mixed", GetParam(), {{"cpu_us", us}}), opts);
        EXPECT_EQ(m.status, Status::ok) << "cpu_us=" << us << ": " << m.error;
        EXPECT_TRUE(m.validated);
        EXPECT_TRUE(m.facts.count("cpu_steps_per_us"));
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, EachBackendByName, testing::ValuesIn(backend_names()), name_of);

/// python3 -m http.server on a free port serving `root`.
class PythonServer {
  public:
    explicit PythonServer(const fs::path& root)
        : process_({"/bin/sh", "-c",
                    "exec /usr/bin/python3 -u -m http.server 0 --bind 127.0.0.1 --directory " +
                        root.string() + " 2>/dev/null"}) {
        std::smatch m;
        const std::string line = process_.read_line();  // "Serving HTTP on ... port N (...)"
        if (std::regex_search(line, m, std::regex(R"(port (\d+))")))
            address_ = "127.0.0.1:" + m[1].str();
    }
    const std::string& address() const { return address_; }

  private:
    Background process_;
    std::string address_;
};

TEST(HttpOwnServer, PathAndExpectMeasureAServerOfOnesOwn) {
    if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3";
    TempDir root;
    std::ofstream(root.path() / "hello.txt") << "Hello World\n";  // 12 bytes
    PythonServer python(root.path());
    ASSERT_FALSE(python.address().empty()) << "python3 -m http.server did not start";
    for (const std::string& backend : backend_names()) {
        for (const char* expect : {"status", "length=12"}) {
            const Measurement m = run_cell(cell_of(
                "http", backend,
                {{"target", python.address()}, {"path", "/hello.txt"}, {"expect", expect}}));
            EXPECT_EQ(m.status, Status::ok) << backend << " " << expect << ": " << m.error;
            EXPECT_TRUE(m.validated);
            EXPECT_EQ(m.ops, 20u);
            EXPECT_FALSE(m.ideal_wall_s) << "no lower bound is known for another server";
        }
    }
    // A wrong length and the delay server's bytes are wrong answers, said as such.
    Measurement m = run_cell(cell_of(
        "http", "sync",
        {{"target", python.address()}, {"path", "/hello.txt"}, {"expect", "length=13"}}));
    EXPECT_EQ(m.status, Status::invalid);
    EXPECT_NE(m.error.find("a body of 12 bytes, expected 13"), std::string::npos) << m.error;
    m = run_cell(cell_of("http", "sync", {{"target", python.address()}, {"path", "/hello.txt"}}));
    EXPECT_EQ(m.status, Status::invalid);
    EXPECT_NE(m.error.find("expect=status"), std::string::npos) << m.error;
    // A missing page is a counted HTTP error, not a wrong body.
    m = run_cell(cell_of("http", "sync",
                         {{"target", python.address()}, {"path", "/nope"}, {"expect", "status"}}));
    EXPECT_EQ(m.status, Status::failed);
    EXPECT_EQ(m.errors["http_status"], 20u) << m.error;
}

TEST(BadInput, IsOneLineNamingWhatIsValid) {
    struct Bad {
        std::string workload;
        std::map<std::string, std::string> params;
        std::string says;
    };
    for (const auto& bad : std::vector<Bad>{
             {"http", {{"expect", "bogus"}}, "valid is bytes, status or length=N"},
             {"http", {{"expect", "length=x"}}, "valid is bytes, status or length=N"},
             {"http", {{"path", "hello"}}, "starting with /"},
             {"file", {{"dir", "/nonexistent/concbench"}}, "valid is auto or an existing"},
             {"file", {{"files", "1000000"}, {"file_kb", "16777216"}}, "MiB free"},
         }) {
        CellOptions opts;
        opts.server = "127.0.0.1:1";  // never reached: the run fails before its first request
        const Measurement m = run_cell(cell_of(bad.workload, "sync", bad.params), opts);
        EXPECT_EQ(m.status, Status::failed) << bad.says;
        EXPECT_NE(m.error.find(bad.says), std::string::npos) << m.error;
        EXPECT_EQ(m.error.find('\n'), std::string::npos) << m.error;
    }
}

TEST(FileFallback, TheAsyncBackendsUseAThreadPoolWithoutIoUring) {
    const std::string exe = testing_support::program_from_env("CONCBENCH");
    for (const char* backend : {"async", "async-mt"}) {
        if (!find_backend(backend)) continue;
        for (const char* mode : {"read", "write-fsync"}) {
            const auto out = testing_support::run_program(
                {"/usr/bin/env", "CONCBENCH_IO_URING=off", exe, "run-one", "--backend", backend,
                 "--workload", "file", "--param", "files=3", "--param", "file_kb=20", "--param",
                 "block_kb=8", "--param", std::string("mode=") + mode});
            ASSERT_EQ(out.code, 0) << out.err;
            const auto j = nlohmann::json::parse(out.out);
            EXPECT_EQ(j.at("status"), "ok") << out.out;
            EXPECT_EQ(j.at("facts").at("file_io"),
                      "thread pool (io_uring unavailable: CONCBENCH_IO_URING=off)");
        }
    }
}

}  // namespace
}  // namespace concbench
