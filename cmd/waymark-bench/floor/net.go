//go:build floor_net

package main

import (
	"crypto/tls"
	"net/http"
)

// Built with the tags floor_sqlite and floor_net, the floor also links
// what sync and the hub take from Go's standard library, and nothing of
// Waymark's: an HTTP client and an HTTP server over TLS. The benchmarks
// report its size to show what networking alone adds.
var netParts = []any{(&http.Server{}).ServeTLS, (&http.Client{}).Do, tls.Client, http.NewServeMux}
