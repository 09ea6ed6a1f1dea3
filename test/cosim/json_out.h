// json_out — a minimal JSON object writer for the C++ harness (one line per object).
//
// Contract: JsonOut builds one object in insertion order; strings are escaped
// (control bytes and bytes >= 0x80 become \u00XX, so arbitrary UART output stays
// valid JSON and valid UTF-8); numbers are written exactly (integers) or with
// %.6g (reals). Nothing is printed until the caller takes str().
#ifndef COSIM_JSON_OUT_H
#define COSIM_JSON_OUT_H

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <string>

class JsonOut {
public:
    JsonOut() : s_("{") {}

    JsonOut &str(const char *k, const std::string &v) { return key(k).quote(v); }
    JsonOut &str(const char *k, const char *v) { return key(k).quote(v ? v : ""); }
    // Readers take integers as int64 (jansson refuses the whole line otherwise),
    // and a core under test can report any 64-bit value (order): above
    // INT64_MAX the value is written as a hex string instead.
    JsonOut &num(const char *k, uint64_t v)
    {
        if (v > (uint64_t)INT64_MAX)
            return key(k).quote(fmt("0x%016" PRIx64, v));
        return key(k).raw(fmt("%" PRIu64, v));
    }
    JsonOut &sint(const char *k, int64_t v) { return key(k).raw(fmt("%" PRId64, v)); }
    JsonOut &real(const char *k, double v) { return key(k).raw(fmt("%.6g", v)); }
    JsonOut &boolean(const char *k, bool v) { return key(k).raw(v ? "true" : "false"); }
    JsonOut &hex(const char *k, uint32_t v) { return key(k).quote(fmt("0x%08" PRIx32, v)); }
    // A nested object or array already serialised.
    JsonOut &rawval(const char *k, const std::string &json) { return key(k).raw(json); }
    std::string done() const { return s_ + "}"; }

    static std::string escape(const std::string &v)
    {
        std::string o;
        o.reserve(v.size() + 2);
        o += '"';
        for (unsigned char c : v) {
            if (c == '"' || c == '\\') {
                o += '\\';
                o += (char)c;
            } else if (c == '\n') {
                o += "\\n";
            } else if (c < 0x20 || c >= 0x7F) {
                char b[8];
                std::snprintf(b, sizeof b, "\\u%04x", c);
                o += b;
            } else {
                o += (char)c;
            }
        }
        o += '"';
        return o;
    }

private:
    std::string s_;
    bool first_ = true;

    static std::string fmt(const char *f, ...) __attribute__((format(printf, 1, 2)))
    {
        char b[64];
        va_list ap;
        va_start(ap, f);
        std::vsnprintf(b, sizeof b, f, ap);
        va_end(ap);
        return b;
    }
    JsonOut &key(const char *k)
    {
        if (!first_)
            s_ += ", ";
        first_ = false;
        s_ += escape(k);
        s_ += ": ";
        return *this;
    }
    JsonOut &quote(const std::string &v)
    {
        s_ += escape(v);
        return *this;
    }
    JsonOut &raw(const std::string &v)
    {
        s_ += v;
        return *this;
    }
};

#endif
