#pragma once

// Profile texts for tst_profiles, kept out of the test's own file: moc (Qt 6.4) reads "//" inside
// raw string literals as a comment.

namespace profiledata {
inline constexpr char k0[] = R"({"connections": [
          {"name": "erp", "kind": "rest", "url": "https://erp.example.com/api/v1", "poll_interval_seconds": 5,
           "auth": {"type": "bearer", "token": "env:ERP_TOKEN"},
           "resources": [{"path": "/sales-orders", "mapping": "erp-orders.json",
                          "paging": {"type": "cursor", "items": "/data", "next_cursor": "/next", "limit": 50},
                          "updated_since_param": "updated_since", "updated_at": "/updated_at"}]},
          {"name": "portal", "kind": "rest", "url": "https://portal.example.com",
           "auth": {"type": "basic", "user": "buyer", "password": "file:/run/secrets/portal"},
           "resources": [{"path": "/asns", "mapping": "portal.json", "paging": {"type": "page"}}]},
          {"name": "feed", "kind": "websocket", "url": "wss://feed.example.com/events", "heartbeat_timeout_seconds": 9}
        ]})";
inline constexpr char k1[] = R"({"x":1})";
inline constexpr char k2[] = R"({"connections":[{"kind":"rest"}]})";
inline constexpr char k3[] = R"({"connections":[{"name":"a","kind":"ftp","url":"http://h"}]})";
inline constexpr char k4[] = R"({"connections":[{"name":"a","kind":"websocket","url":"nowhere"}]})";
inline constexpr char k5[] =
    R"({"connections":[{"name":"a","kind":"websocket","url":"ws://h","auth":{"type":"bearer","token":"hunter2"}}]})";
inline constexpr char k6[] = R"({"connections":[{"name":"a","kind":"rest","url":"http://h"}]})";
inline constexpr char k7[] =
    R"({"connections":[{"name":"a","kind":"websocket","url":"ws://h"},{"name":"a","kind":"websocket","url":"ws://g"}]})";
inline constexpr char k8[] =
    R"({"connections":[{"name":"a","kind":"websocket","url":"ws://h","auth":{"type":"kerberos"}}]})";
} // namespace profiledata
