// The report Document rendered as Markdown and as one self-contained HTML page.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "exporters.hpp"

namespace concbench {

std::string to_markdown(const Document& doc) {
    std::string out;
    for (const auto& b : doc) {
        switch (b.kind) {
            case Block::Kind::heading:
                out += std::string(static_cast<std::size_t>(b.level), '#') + " " + b.text + "\n\n";
                break;
            case Block::Kind::paragraph:
                out += b.text + "\n\n";
                break;
            case Block::Kind::bullets:
                for (const auto& i : b.items) out += "- " + i + "\n";
                out += "\n";
                break;
            case Block::Kind::table: {
                out += "| " + fmt::format("{}", fmt::join(b.items, " | ")) + " |\n|";
                for (std::size_t i = 0; i < b.items.size(); ++i) out += i == 0 ? ":---|" : "---:|";
                out += "\n";
                for (const auto& r : b.rows)
                    out += "| " + fmt::format("{}", fmt::join(r, " | ")) + " |\n";
                out += "\n";
                break;
            }
            case Block::Kind::image:
                out += fmt::format("![{}]({})\n\n", b.text, b.path);
                break;
            case Block::Kind::code:
                out += "```\n" + b.text + "\n```\n\n";
                break;
        }
    }
    return out;
}

namespace {

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string base64(const std::string& bytes) {
    static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        for (int s = 18; s >= 0; s -= 6) out += table[(v >> s) & 63];
    }
    if (i < bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? table[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string data_uri(const std::string& dir, const std::string& path) {
    std::ifstream in(dir + "/" + path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string mime = path.ends_with(".svg") ? "image/svg+xml" : "image/png";
    return "data:" + mime + ";base64," + base64(ss.str());
}

constexpr const char* kStyle =
    R"(body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px}
td{text-align:right}td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}
img{max-width:100%;display:block;margin:1em 0}pre{background:#f6f6f6;padding:1em;overflow-x:auto}
h1,h2,h3{margin-top:1.6em})";

}  // namespace

std::string to_html(const Document& doc, const std::string& dir) {
    std::string title = "concbench report";
    for (const auto& b : doc)
        if (b.kind == Block::Kind::heading) {
            title = b.text;
            break;
        }
    std::string out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>"
        "<style>{}</style></head><body>\n",
        escape(title), kStyle);
    for (const auto& b : doc) {
        switch (b.kind) {
            case Block::Kind::heading:
                out += fmt::format("<h{0}>{1}</h{0}>\n", b.level, escape(b.text));
                break;
            case Block::Kind::paragraph:
                out += "<p>" + escape(b.text) + "</p>\n";
                break;
            case Block::Kind::bullets:
                out += "<ul>";
                for (const auto& i : b.items) out += "<li>" + escape(i) + "</li>";
                out += "</ul>\n";
                break;
            case Block::Kind::table:
                out += "<table><tr>";
                for (const auto& h : b.items) out += "<th>" + escape(h) + "</th>";
                out += "</tr>";
                for (const auto& r : b.rows) {
                    out += "<tr>";
                    for (const auto& c : r) out += "<td>" + escape(c) + "</td>";
                    out += "</tr>";
                }
                out += "</table>\n";
                break;
            case Block::Kind::image:
                out += fmt::format("<img alt=\"{}\" src=\"{}\">\n", escape(b.text),
                                   data_uri(dir, b.path));
                break;
            case Block::Kind::code:
                out += "<pre>" + escape(b.text) + "</pre>\n";
                break;
        }
    }
    // Marks the page once loaded with how many images rendered, for `make check-report`.
    out +=
        "<script>addEventListener('load',()=>{const i=[...document.images];"
        "document.documentElement.dataset.images=i.filter(x=>x.complete&&x.naturalWidth>0)"
        ".length+'/'+i.length;});</script>\n";
    return out + "</body></html>\n";
}

}  // namespace concbench
